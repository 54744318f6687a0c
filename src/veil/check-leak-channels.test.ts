import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../canonical/index.ts';
import { checkLeakChannels, LeakChannelRefusal } from './check-leak-channels.ts';
import { resolveVeilPolicy } from './resolve-policy.ts';
import { veilSchema } from './veil-schema.ts';

const config = veilSchema.parse({
  tenants: { acme: { reasoning: 'summary', maxN: 4 } },
  summary: { model: 'small' },
  keys: { 'key-1': { reasoning: 'visible' }, 'key-2': { allowLogprobs: true, allowLogitBias: true, allowPrefill: true } },
  leakChannels: { allowedExtras: ['top_k', 'chat_template_kwargs'] },
});
const external = resolveVeilPolicy(config, { keyId: 'k', tenantId: 't', class: 'external' });
const request = (extra: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'm',
  stream: false,
  includeUsage: false,
  options: {},
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }],
  ...extra,
});

function refusal(fn: () => unknown): LeakChannelRefusal {
  try {
    fn();
  } catch (error) {
    if (error instanceof LeakChannelRefusal) return error;
  }
  throw new Error('not refused');
}

describe('resolveVeilPolicy', () => {
  it('defaults by key class: internal visible, external hidden; key beats tenant beats class', () => {
    expect(resolveVeilPolicy(config, { keyId: 'k', tenantId: 't', class: 'internal' }).reasoning).toBe('visible');
    expect(external.reasoning).toBe('hidden');
    expect(resolveVeilPolicy(config, { keyId: 'k', tenantId: 'acme', class: 'internal' }).reasoning).toBe('summary');
    expect(resolveVeilPolicy(config, { keyId: 'key-1', tenantId: 'acme', class: 'external' }).reasoning).toBe('visible');
    expect(resolveVeilPolicy(config, { keyId: 'k', tenantId: 'acme', class: 'external' }).maxN).toBe(4);
    expect(resolveVeilPolicy(config, null).reasoning).toBe('visible');
  });
});

describe('checkLeakChannels', () => {
  it('refuses logprobs, top_logprobs and logit_bias unless allowed', () => {
    expect(refusal(() => checkLeakChannels(external, request(), { logprobs: true })).param).toBe('logprobs');
    expect(refusal(() => checkLeakChannels(external, request(), { top_logprobs: 3 })).param).toBe('top_logprobs');
    expect(refusal(() => checkLeakChannels(external, request(), { logit_bias: { '1': 5 } })).param).toBe('logit_bias');
    expect(checkLeakChannels(external, request(), { logprobs: false, top_logprobs: null }).warnings).toEqual([]);
  });

  it('lets an allowed key use logprobs (capped, dropped with a warning) and logit_bias (forwarded, capped)', () => {
    const allowed = resolveVeilPolicy(config, { keyId: 'key-2', tenantId: 't', class: 'external' });
    const result = checkLeakChannels(allowed, request(), { logprobs: true, top_logprobs: 2, logit_bias: { '50256': -100 } });
    expect(result.extras).toEqual({ logit_bias: { '50256': -100 } });
    expect(result.warnings).toEqual(["dropped 'logprobs': answers under the reasoning veil carry no log probabilities"]);
    expect(refusal(() => checkLeakChannels(allowed, request(), { logprobs: true, top_logprobs: 6 })).param).toBe('top_logprobs');
    const many = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [String(i), 1]));
    expect(refusal(() => checkLeakChannels(allowed, request(), { logit_bias: many })).param).toBe('logit_bias');
  });

  it('caps n, and refuses a trailing assistant message (prefill) unless allowed', () => {
    expect(refusal(() => checkLeakChannels(external, request({ options: { n: 2 } }), {})).param).toBe('n');
    expect(checkLeakChannels(external, request({ options: { n: 1 } }), {}).extras).toEqual({});
    const prefill = request({ messages: [...request().messages, { role: 'assistant', parts: [{ type: 'text', text: '</think>' }] }] });
    expect(refusal(() => checkLeakChannels(external, prefill, null)).param).toBe('messages[1]');
    expect(() => checkLeakChannels(resolveVeilPolicy(config, { keyId: 'key-2', tenantId: 't', class: 'external' }), prefill, null)).not.toThrow();
  });

  it('forwards allow-listed engine extras, refuses leaky ones, drops unknown ones with a warning', () => {
    const result = checkLeakChannels(external, request(), { model: 'm', messages: [], top_k: 20, chat_template_kwargs: { enable_thinking: true }, mirostat: 1, seed: 3 });
    expect(result.extras).toEqual({ top_k: 20, chat_template_kwargs: { enable_thinking: true } });
    expect(result.warnings).toEqual(["dropped 'mirostat': not an allowed engine option under the reasoning veil"]);
    for (const field of ['echo', 'prompt_logprobs', 'continue_final_message', 'add_generation_prompt', 'skip_special_tokens', 'cache_salt']) {
      expect(refusal(() => checkLeakChannels(external, request(), { [field]: true })).param).toBe(field);
    }
  });
});
