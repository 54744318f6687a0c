import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { Env, ProviderConfig, TimeoutsConfig } from '../../config/index.ts';
import { MoatError } from '../../errors/index.ts';
import { withReasoningUsage } from '../count-reasoning-usage.ts';
import type { ChatWire, Provider } from '../types.ts';
import { anthropicMessageToEvents } from './decode-response.ts';
import { decodeAnthropicError } from './decode-error.ts';
import { encodeAnthropicRequest } from './encode-request.ts';
import { AnthropicStreamDecoder } from './stream-decoder.ts';
import { AnthropicUsageObserver } from './usage-observer.ts';

export const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
export const ANTHROPIC_API_KEY_ENV = 'ANTHROPIC_API_KEY';
/** Sent when the client names no version. https://docs.anthropic.com/en/api/versioning */
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
/** Under the base path, like the chat path. https://docs.anthropic.com/en/api/messages-count-tokens */
export const countTokensPath = '/messages/count_tokens';

const anthropicChat: ChatWire = withReasoningUsage({
  path: '/messages',
  encodeRequest(request, upstreamModel, model, warnings) {
    // Engine extras are for OpenAI-compatible servers; the Messages API has none of them.
    for (const field of Object.keys(request.upstreamExtras ?? {})) warnings?.push(`dropped '${field}': the Anthropic API has no such option`);
    return encodeAnthropicRequest(request, upstreamModel, model, warnings);
  },
  decodeResponse(body) {
    let message: unknown;
    try {
      message = JSON.parse(body.toString('utf8'));
    } catch (cause) {
      throw new MoatError('upstream_invalid_response', 'The Anthropic upstream answered with a body that is not JSON.', { cause });
    }
    return anthropicMessageToEvents(message);
  },
  createStreamDecoder: (emit) => new AnthropicStreamDecoder(emit),
  createObserver: () => new AnthropicUsageObserver(),
  terminalMarker: 'event: message_stop',
});

/** One header value as a string; repeated headers (e.g. several `anthropic-beta`) are comma-joined, as HTTP allows. */
function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? (value.length > 0 ? value.join(',') : undefined) : value;
}

/**
 * The Anthropic Messages API as an upstream. Its clients' version and beta headers are passed on,
 * since they decide the wire shape the client expects back (passthrough relays the bytes untouched);
 * config `headers` set the rest (and may pin a version for clients that send none).
 */
export function createAnthropicProvider(name: string, config: ProviderConfig, defaults: TimeoutsConfig, env: Env): Provider {
  const url = new URL(config.baseUrl || ANTHROPIC_BASE_URL);
  const basePath = url.pathname.replace(/\/+$/, '');
  const dispatcher = new Pool(url.origin, {
    connections: config.connections,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: config.timeouts.headersMs ?? defaults.headersMs,
    bodyTimeout: config.timeouts.idleMs ?? defaults.idleMs,
  });
  const keyEnv = config.apiKeyEnv ?? ANTHROPIC_API_KEY_ENV;
  const apiKey = env[keyEnv];
  const fixedHeaders: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': DEFAULT_ANTHROPIC_VERSION, ...config.headers };

  return {
    name,
    type: 'anthropic',
    nativeDialect: 'anthropic-messages',
    basePath,
    dispatcher,
    unsupportedParams: new Set(config.unsupportedParams),
    timeouts: { ...defaults, ...config.timeouts },
    chat: anthropicChat,
    upstreamHeaders(requestId, clientHeaders) {
      if (!apiKey) {
        throw new MoatError('provider_not_configured', `Provider '${name}' has no API key: set the environment variable ${keyEnv} and reload.`);
      }
      const headers: Record<string, string> = { ...fixedHeaders };
      const version = headerValue(clientHeaders, 'anthropic-version');
      if (version) headers['anthropic-version'] = version;
      const beta = headerValue(clientHeaders, 'anthropic-beta');
      if (beta) headers['anthropic-beta'] = beta;
      headers['x-api-key'] = apiKey;
      headers['x-request-id'] = requestId;
      return headers;
    },
    decodeError: (status, headers, body) => decodeAnthropicError(name, status, headers, body),
    close: () => dispatcher.close(),
  };
}
