import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { foldEvents } from '../../canonical/index.ts';
import { configSchema, type ProviderConfig } from '../../config/index.ts';
import { MoatError } from '../../errors/index.ts';
import type { Provider } from '../types.ts';
import { countTokensPath, createAnthropicProvider } from './create-anthropic-provider.ts';

const model = configSchema.parse({ models: [{ name: 'claude', provider: 'anthropic' }] }).models[0]!;
const defaults = { headersMs: 1000, idleMs: 1000, keepAliveMs: 1000 };
const config = (extra: Record<string, unknown> = {}): ProviderConfig =>
  ({ type: 'anthropic', baseUrl: 'https://api.anthropic.com/v1', headers: {}, unsupportedParams: [], connections: 2, timeouts: {}, ...extra }) as unknown as ProviderConfig;

const open: Provider[] = [];
const make = (extra: Record<string, unknown> = {}, env: Record<string, string> = { ANTHROPIC_API_KEY: 'sk-ant-test' }): Provider => {
  const provider = createAnthropicProvider('anthropic', config(extra), defaults, env);
  open.push(provider);
  return provider;
};

afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.close()));
});

describe('createAnthropicProvider', () => {
  it('speaks the Anthropic Messages dialect under the base URL path', () => {
    const provider = make({ baseUrl: 'https://gateway.example/anthropic/v1/' });
    expect(provider.type).toBe('anthropic');
    expect(provider.nativeDialect).toBe('anthropic-messages');
    expect(provider.basePath).toBe('/anthropic/v1');
    expect(provider.chat.path).toBe('/messages');
    expect(countTokensPath).toBe('/messages/count_tokens');
    expect(provider.timeouts).toEqual(defaults);
  });

  it('sends the key, a default version and the configured headers', () => {
    const headers = make({ headers: { 'x-extra': '1' } }).upstreamHeaders('req-1', {});
    expect(headers).toEqual({ 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-extra': '1', 'x-api-key': 'sk-ant-test', 'x-request-id': 'req-1' });
    expect(headers).not.toHaveProperty('authorization');
  });

  it("passes on the client's version and beta headers", () => {
    const headers = make({ headers: { 'anthropic-version': '2023-01-01' } }).upstreamHeaders('r', {
      'anthropic-version': '2024-10-22',
      'anthropic-beta': ['interleaved-thinking-2025-05-14', 'prompt-caching-2024-07-31'],
      authorization: 'Bearer client-key',
    });
    expect(headers['anthropic-version']).toBe('2024-10-22');
    expect(headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14,prompt-caching-2024-07-31');
    expect(headers.authorization).toBeUndefined();
    // Without a client version, the configured one stands.
    expect(make({ headers: { 'anthropic-version': '2023-01-01' } }).upstreamHeaders('r', {})['anthropic-version']).toBe('2023-01-01');
  });

  it('refuses to send without a key, naming the variable', () => {
    const missing = (provider: Provider): MoatError => {
      try {
        provider.upstreamHeaders('r', {});
      } catch (error) {
        if (error instanceof MoatError) return error;
      }
      throw new Error('expected provider_not_configured');
    };
    const error = missing(make({}, {}));
    expect(error.code).toBe('provider_not_configured');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(missing(make({ apiKeyEnv: 'CLAUDE_KEY' }, { ANTHROPIC_API_KEY: 'x' })).message).toContain('CLAUDE_KEY');
    expect(make({ apiKeyEnv: 'CLAUDE_KEY' }, { CLAUDE_KEY: 'k2' }).upstreamHeaders('r', {})['x-api-key']).toBe('k2');
  });

  it('decodes responses and errors through the chat wire', () => {
    const provider = make();
    const body = readFileSync(new URL('./__fixtures__/messages-stop-sequence.response.json', import.meta.url));
    expect(foldEvents(provider.chat.decodeResponse(body, model)).choices[0]!.stopSequence).toBe('END');
    expect(() => provider.chat.decodeResponse(Buffer.from('<html>'), model)).toThrow(expect.objectContaining({ code: 'upstream_invalid_response' }));
    expect(provider.decodeError(529, {}, Buffer.from('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')).code).toBe('upstream_overloaded');
    const events: unknown[] = [];
    const decoder = provider.chat.createStreamDecoder((e) => events.push(e), model);
    decoder.feed(Buffer.from('event: error\ndata: {"type":"error","error":{"type":"api_error","message":"boom"}}\n\n'));
    decoder.end();
    expect(events).toEqual([{ type: 'error', message: 'boom', code: 'api_error' }]);
    expect(provider.chat.createObserver().usage).toBeNull();
  });
});
