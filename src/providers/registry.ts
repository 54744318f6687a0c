import type { Env, ProviderConfig, TimeoutsConfig } from '../config/index.ts';
import { createAnthropicProvider } from './anthropic/index.ts';
import { createOpenAICompatibleProvider } from './openai-compatible/index.ts';
import { createOpenAIProvider } from './openai/index.ts';
import type { Provider } from './types.ts';

type ProviderFactory = (name: string, config: ProviderConfig, defaults: TimeoutsConfig, env: Env) => Provider;

/** One line per provider type; the config schema's `type` enum lists the same names. */
const FACTORIES: Record<ProviderConfig['type'], ProviderFactory> = {
  openai: createOpenAIProvider,
  'openai-compatible': createOpenAICompatibleProvider,
  anthropic: createAnthropicProvider,
};

export function createProviders(configs: Record<string, ProviderConfig>, defaults: TimeoutsConfig, env: Env): Map<string, Provider> {
  const providers = new Map<string, Provider>();
  for (const [name, config] of Object.entries(configs)) providers.set(name, FACTORIES[config.type](name, config, defaults, env));
  return providers;
}
