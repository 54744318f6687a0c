import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../config/index.ts';
import { createProviders } from './registry.ts';

const config = parseConfigText(
  `
providers:
  o: { type: openai, credential: openai-key }
  a: { type: anthropic, credential: anthropic-key }
  c: { type: openai-compatible, baseUrl: "http://127.0.0.1:1/v1", credential: openai-key }
  e: { type: openai }
`,
  'test',
  {},
);

describe('createProviders with stored credentials', () => {
  it('sends a provider the stored value it names, and the environment still serves apiKeyEnv', async () => {
    const secrets = new Map([['openai-key', 'sk-stored-1'], ['anthropic-key', 'sk-ant-stored']]);
    const providers = createProviders(config.providers, config.timeouts, { OPENAI_API_KEY: 'sk-from-env' }, secrets);
    try {
      expect(providers.get('o')!.upstreamHeaders('r', {}).authorization).toBe('Bearer sk-stored-1');
      expect(providers.get('c')!.upstreamHeaders('r', {}).authorization).toBe('Bearer sk-stored-1');
      expect(providers.get('a')!.upstreamHeaders('r', {})['x-api-key']).toBe('sk-ant-stored');
      expect(providers.get('e')!.upstreamHeaders('r', {}).authorization).toBe('Bearer sk-from-env');
    } finally {
      await Promise.all([...providers.values()].map((p) => p.close()));
    }
  });

  it('refuses to build when a named credential was not loaded, before opening any pool', () => {
    let error: unknown;
    try {
      createProviders(config.providers, config.timeouts, {}, new Map([['openai-key', 'x']]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(["providers.a.credential: the stored credential 'anthropic-key' is not loaded"]);
  });
});
