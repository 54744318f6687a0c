import { Pool } from 'undici';
import type { Env, ProviderConfig, TimeoutsConfig } from '../../config/index.ts';
import { MoatError } from '../../errors/index.ts';
import type { ChatWire, Provider } from '../types.ts';
import { createOpenAIChatWire } from './chat-wire.ts';
import { decodeOpenAIError } from './decode-error.ts';

export interface OpenAIWireOptions {
  name: string;
  config: ProviderConfig;
  defaults: TimeoutsConfig;
  env: Env;
  /** OpenAI itself needs a key; most self-hosted servers take none. */
  requireApiKey: boolean;
  type: string;
  extraHeaders?: Record<string, string>;
  chat: ChatWire;
}

/** A provider that speaks the OpenAI wire format: OpenAI itself and every server that copies it. */
export function createOpenAIWireProvider(options: OpenAIWireOptions): Provider {
  const { name, config, env } = options;
  const url = new URL(config.baseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  const dispatcher = new Pool(url.origin, {
    connections: config.connections,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: config.timeouts.headersMs ?? options.defaults.headersMs,
    bodyTimeout: config.timeouts.idleMs ?? options.defaults.idleMs,
  });
  const apiKey = config.apiKeyEnv ? env[config.apiKeyEnv] : undefined;
  const fixedHeaders: Record<string, string> = {
    'content-type': 'application/json',
    ...options.extraHeaders,
    ...config.headers,
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
  const missingKey = options.requireApiKey && !apiKey;

  return {
    name,
    type: options.type,
    nativeDialect: 'openai-chat',
    basePath,
    dispatcher,
    unsupportedParams: new Set(config.unsupportedParams),
    timeouts: { ...options.defaults, ...config.timeouts },
    chat: options.chat,
    upstreamHeaders(requestId) {
      if (missingKey) {
        throw new MoatError(
          'provider_not_configured',
          `Provider '${name}' has no API key: set the environment variable ${config.apiKeyEnv ?? '(apiKeyEnv)'} and reload.`,
        );
      }
      return { ...fixedHeaders, 'x-request-id': requestId };
    },
    decodeError: (status, headers, body) => decodeOpenAIError(name, status, headers, body),
    close: () => dispatcher.close(),
  };
}

export function createOpenAIProvider(name: string, config: ProviderConfig, defaults: TimeoutsConfig, env: Env): Provider {
  const extraHeaders: Record<string, string> = {};
  if (config.type === 'openai' && config.organization) extraHeaders['openai-organization'] = config.organization;
  if (config.type === 'openai' && config.project) extraHeaders['openai-project'] = config.project;
  const chat = createOpenAIChatWire({ maxTokensField: 'max_completion_tokens', acceptsTopK: false });
  return createOpenAIWireProvider({ name, config, defaults, env, requireApiKey: true, type: 'openai', extraHeaders, chat });
}
