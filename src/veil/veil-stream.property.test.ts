import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldEvents, type CanonicalEvent, type CanonicalRequest } from '../canonical/index.ts';
import { parseConfigText } from '../config/index.ts';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/index.ts';
import { openAIChatDialect } from '../dialects/openai-chat/index.ts';
import type { Dialect } from '../dialects/types.ts';
import { createProviders, type ChatWire } from '../providers/index.ts';
import { deriveVeilKeys, isVeilBlob, openReasoning, sealReasoning } from './reasoning-blob.ts';
import { stripStrayThinkTags } from './strip-stray-think-tags.ts';
import { VeilFilter } from './veil-filter.ts';
import { splitAt } from '../../test/support/split-at.ts';

/**
 * The veil's promise, checked on every recorded reasoning format and both client dialects: however
 * the upstream's bytes are split, the client receives no reasoning — not in a field, not in a tag,
 * not as text — and the same visible answer as from the unsplit stream.
 */
const fixture = (path: string) => readFileSync(new URL(`../providers/${path}`, import.meta.url), 'utf8');
const deepseek = fixture('openai-compatible/__fixtures__/deepseek-reasoning.stream.sse');

interface Format {
  name: string;
  sse: string;
  provider: 'oc' | 'ant';
  model: string;
  /** The model whose decoding tells what is reasoning and what is answer (default: `model`). */
  reference?: string;
}

const FORMATS: Format[] = [
  { name: 'reasoning_content (DeepSeek, llama.cpp)', sse: deepseek, provider: 'oc', model: 'fields' },
  { name: 'reasoning (vLLM ≥ 0.11, Ollama /v1)', sse: deepseek.replaceAll('"reasoning_content"', '"reasoning"'), provider: 'oc', model: 'fields' },
  { name: 'thinking (Ollama native field)', sse: deepseek.replaceAll('"reasoning_content"', '"thinking"'), provider: 'oc', model: 'fields' },
  { name: '<think> tags', sse: fixture('openai-compatible/__fixtures__/think-tags.stream.sse'), provider: 'oc', model: 'tags' },
  { name: 'template-opened <think>', sse: fixture('openai-compatible/__fixtures__/think-tags-open.stream.sse'), provider: 'oc', model: 'open' },
  { name: '<think> tags from a server whose parser is off (model configured `fields`)', sse: fixture('openai-compatible/__fixtures__/think-tags.stream.sse'), provider: 'oc', model: 'fields', reference: 'tags' },
  { name: 'truncated inside <think>', sse: fixture('openai-compatible/__fixtures__/think-tags-truncated.stream.sse'), provider: 'oc', model: 'tags' },
  { name: 'Anthropic thinking', sse: fixture('anthropic/__fixtures__/messages-thinking.stream.sse'), provider: 'ant', model: 'claude' },
  { name: 'Anthropic thinking + tools', sse: fixture('anthropic/__fixtures__/messages-thinking-tools.stream.sse'), provider: 'ant', model: 'claude' },
  { name: 'Anthropic redacted thinking', sse: fixture('anthropic/__fixtures__/messages-redacted-thinking.stream.sse'), provider: 'ant', model: 'claude' },
];

const config = parseConfigText(
  `
providers:
  oc: { type: openai-compatible, baseUrl: "http://127.0.0.1:9/v1" }
  ant: { type: anthropic, baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: K }
models:
  - { name: fields, provider: oc }
  - { name: tags, provider: oc, reasoningFormat: think-tags }
  - { name: open, provider: oc, reasoningFormat: think-tags-open }
  - { name: claude, provider: ant }
`,
  'test',
  { K: 'k' },
);
const providers = createProviders(config.providers, config.timeouts, { K: 'k' });
const keys = deriveVeilKeys(null);
const request: CanonicalRequest = { model: 'm', stream: true, includeUsage: true, messages: [{ role: 'user', parts: [{ type: 'text', text: 'q' }] }], options: {} };

function wireOf(format: Format): { wire: ChatWire; model: (typeof config.models)[number] } {
  return { wire: providers.get(format.provider)!.chat, model: config.models.find((m) => m.name === format.model)! };
}

function decode(format: Format, chunks: string[]): CanonicalEvent[] {
  const { wire, model } = wireOf(format);
  const events: CanonicalEvent[] = [];
  const decoder = wire.createStreamDecoder((e) => events.push(e), model);
  for (const chunk of chunks) decoder.feed(Buffer.from(chunk));
  decoder.end();
  return events;
}

/** Upstream bytes → decoder → veil → the client's stream encoder, chunk by chunk as the sink does it. */
function veiledClientStream(format: Format, dialect: Dialect, chunks: string[]): string {
  const { wire, model } = wireOf(format);
  const encoder = dialect.createStreamEncoder(request);
  const veil = new VeilFilter({ blobs: dialect.name === 'anthropic-messages' ? 'all' : 'signed', seal: (p) => sealReasoning(p, 't1', keys, Buffer.alloc(12)), copySpanWords: 12, flag: () => {} });
  // As apply-veil.ts composes it: `fields` models also get the stray-tag stripper.
  const filter = format.model === 'fields' ? stripStrayThinkTags(veil) : veil;
  let out = '';
  const toClient = (e: CanonicalEvent) => {
    out += encoder.push(e);
  };
  const decoder = wire.createStreamDecoder((e) => filter.push(e, toClient), model);
  for (const chunk of chunks) decoder.feed(Buffer.from(chunk));
  decoder.end();
  filter.end(toClient);
  return out + encoder.end();
}

/** The client's stream read back into events, with the decoder of the client's own API. */
function clientEvents(dialect: Dialect, stream: string): CanonicalEvent[] {
  return decode({ name: '', sse: '', provider: dialect.name === 'openai-chat' ? 'oc' : 'ant', model: dialect.name === 'openai-chat' ? 'fields' : 'claude' }, [stream]);
}

const json = (s: string) => JSON.stringify(s).slice(1, -1);

describe.each(FORMATS)('the veil on $name', (format) => {
  const reference = { ...format, model: format.reference ?? format.model };
  const upstream = foldEvents(decode(reference, [format.sse]));
  const reasoning = upstream.choices.map((c) => c.reasoning).join('');
  const reasoningDeltas = decode(reference, [format.sse]).flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : []));
  const visible = upstream.choices.map((c) => c.text).join('');

  it('has reasoning to hide (the fixture is not vacuous)', () => {
    const redacted = upstream.choices.some((c) => c.parts.some((p) => p.type === 'redacted-reasoning'));
    expect(reasoning !== '' || redacted).toBe(true);
  });

  it.each([openAIChatDialect, anthropicMessagesDialect])('gives a $name client no reasoning, and the unsplit answer, for any split', (dialect) => {
    const whole = veiledClientStream(format, dialect, [format.sse]);
    const seen = foldEvents(clientEvents(dialect, whole));
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
        const stream = veiledClientStream(format, dialect, splitAt(format.sse, cuts));
        expect(stream).toBe(whole);
      }),
      { numRuns: 150 },
    );
    expect(seen.choices.map((c) => c.text).join('')).toBe(visible);
    expect(seen.choices.every((c) => c.reasoning === '')).toBe(true);
    expect(whole).not.toMatch(/reasoning_content|"reasoning"|thinking_delta|"thinking"|<think>|reasoning\.text/);
    // Not one reasoning fragment that is not also answer text (e.g. "No") reaches the client.
    for (const fragment of reasoningDeltas) if (fragment.trim().length >= 4 && !visible.includes(fragment)) expect(whole).not.toContain(json(fragment));
    if (reasoning.length >= 8) expect(whole).not.toContain(json(reasoning.slice(0, 8)));
  });

  it('hands an Anthropic client every reasoning part back as a sealed, tenant-bound blob', () => {
    const seen = foldEvents(clientEvents(anthropicMessagesDialect, veiledClientStream(format, anthropicMessagesDialect, [format.sse])));
    const blobs = seen.choices.flatMap((c) => c.parts.flatMap((p) => (p.type === 'redacted-reasoning' ? [p.data] : [])));
    expect(blobs.length).toBeGreaterThan(0);
    expect(blobs.every(isVeilBlob)).toBe(true);
    const opened = blobs.map((b) => openReasoning(b, 't1', keys));
    expect(opened.map((p) => (p.type === 'reasoning' ? p.text : '')).join('')).toBe(reasoning);
    expect(() => openReasoning(blobs[0]!, 't2', keys)).toThrow();
  });
});
