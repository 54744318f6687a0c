import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../canonical/index.ts';
import { requiredCapabilities } from './request-features.ts';

const base: CanonicalRequest = { model: 'm', stream: false, includeUsage: false, messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], options: {} };

describe('requiredCapabilities', () => {
  it('needs nothing for plain text', () => {
    expect([...requiredCapabilities(base)]).toEqual([]);
  });

  it('sees tools, images (also inside tool results) and reasoning options', () => {
    expect(requiredCapabilities({ ...base, options: { tools: [{ name: 'f' }] } })).toEqual(new Set(['tools']));
    expect(requiredCapabilities({ ...base, options: { reasoning: { effort: 'high' } } })).toEqual(new Set(['reasoning']));
    expect(requiredCapabilities({ ...base, options: { reasoning: { enabled: false, budgetTokens: 10 } } })).toEqual(new Set());
    const image = { type: 'image' as const, source: { kind: 'url' as const, url: 'https://x/y.png' } };
    expect(requiredCapabilities({ ...base, messages: [{ role: 'user', parts: [image] }] })).toEqual(new Set(['vision']));
    const toolResult = { type: 'tool-result' as const, toolCallId: 'c1', content: [image] };
    expect(requiredCapabilities({ ...base, messages: [{ role: 'tool', parts: [toolResult] }] })).toEqual(new Set(['tools', 'vision']));
  });
});
