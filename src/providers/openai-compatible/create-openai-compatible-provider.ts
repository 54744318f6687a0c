import type { Env, ProviderConfig, TimeoutsConfig } from '../../config/index.ts';
import { createOpenAIWireProvider } from '../openai/index.ts';
import type { Provider } from '../types.ts';

/**
 * vLLM, Ollama's `/v1`, llama.cpp server, DeepSeek, Groq, Together…: configured, not coded. They share
 * OpenAI's wire format; what differs between them is set in config (base URL, optional key, headers,
 * `unsupportedParams`).
 */
export function createOpenAICompatibleProvider(name: string, config: ProviderConfig, defaults: TimeoutsConfig, env: Env): Provider {
  return createOpenAIWireProvider({ name, config, defaults, env, requireApiKey: false, type: 'openai-compatible' });
}
