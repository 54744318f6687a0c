import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/index.ts';
import { configNeedsTokenizer } from './needs-tokenizer.ts';

const config = (extra: string, storage = '') =>
  parseConfigText(`${storage}\nproviders:\n  p: { type: openai-compatible, baseUrl: "http://x/v1"${extra} }\nmodels: [{ name: m, provider: p }]\n`, 'test');

describe('configNeedsTokenizer', () => {
  it('only when a metered config names an upstream that cannot send a stream usage', () => {
    expect(configNeedsTokenizer(config(''))).toBe(false);
    expect(configNeedsTokenizer(config(', unsupportedParams: [stream_options]'))).toBe(true);
    expect(configNeedsTokenizer(config(', unsupportedParams: [stream_options]', 'storage: { enabled: false }'))).toBe(false);
    // A tokens-per-minute limit counts prompts, metered or not.
    expect(configNeedsTokenizer(config('', 'storage: { enabled: false }\nrateLimits: { rules: [{ per: key, tokensPerMinute: 1000 }] }'))).toBe(true);
    expect(configNeedsTokenizer(config('', 'storage: { enabled: false }\nrateLimits: { rules: [{ per: key, requestsPerMinute: 10 }] }'))).toBe(false);
  });
});
