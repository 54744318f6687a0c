import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../canonical/index.ts';
import { parseConfigText } from '../config/index.ts';
import { anthropicMessagesDialect, decodeMessagesRequest, validateMessagesRequest } from '../dialects/anthropic-messages/index.ts';
import { decodeChatRequest, openAIChatDialect, validateChatRequest } from '../dialects/openai-chat/index.ts';
import { createProviders, type Provider } from '../providers/index.ts';
import { loadTokenCounter } from '../tokens/index.ts';
import { PassthroughSink } from './passthrough-sink.ts';
import { RETAINED_BYTES_LIMIT } from './retained-answer.ts';
import { TranslatingSink } from './translating-sink.ts';

/**
 * Metering answers that lack the upstream's final usage, on the recorded fixtures. Expected counts are
 * o200k_base's: the chat-text request is 28 tokens with framing and its whole answer 24 (the upstream
 * said 31 and 23); the messages-text request is 28, its answer 101 (Anthropic said 27 and 104).
 */
const config = parseConfigText(
  `
providers:
  oai: { type: openai, baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: K }
  ant: { type: anthropic, baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: K }
models: [{ name: m, provider: oai }]
`,
  'test',
  { K: 'k' },
);
const model = config.models[0]!;
let providers: Map<string, Provider>;
const wire = (name: string) => providers.get(name)!.chat;

const fixture = (provider: string, name: string) => readFileSync(new URL(`../providers/${provider}/__fixtures__/${name}`, import.meta.url));
/** A recorded stream in whole events, as the relay hands them to a sink. */
const events = (provider: string, name: string): Buffer[] =>
  fixture(provider, name)
    .toString('utf8')
    .split(/(?<=\n\n)/)
    .filter((e) => e.trim() !== '')
    .map((e) => Buffer.from(e));

const chatRequest = (): CanonicalRequest => decodeChatRequest(validateChatRequest(JSON.parse(fixture('openai', 'chat-text.request.json').toString('utf8'))));
const messagesRequest = (): CanonicalRequest =>
  decodeMessagesRequest(validateMessagesRequest(JSON.parse(fixture('anthropic', 'messages-text.request.json').toString('utf8'))));

/** chat-text's stream as a server that ignores `stream_options` sends it. */
function withoutUsage(chunks: Buffer[]): Buffer[] {
  return chunks
    .filter((e) => !e.includes('"choices":[]'))
    .map((e) => Buffer.from(e.toString('utf8').replace(',"usage":null', '')));
}

const usage = (inputTokens: number, outputTokens: number, reasoningTokens = 0) => ({ inputTokens, outputTokens, reasoningTokens, cachedInputTokens: 0, cacheWriteTokens: 0 });

beforeAll(async () => {
  providers = createProviders(config.providers, config.timeouts, { K: 'k' });
  await loadTokenCounter();
});
afterAll(async () => {
  await Promise.all([...providers.values()].map((p) => p.close()));
});

function passthrough(provider: string, request: CanonicalRequest): PassthroughSink {
  const chat = wire(provider);
  return new PassthroughSink(chat.createObserver(), { terminalMarker: chat.terminalMarker, counting: { request, wire: chat, model } });
}

describe('PassthroughSink.meteredUsage', () => {
  it("takes the upstream's usage when the stream carries it", () => {
    const sink = passthrough('oai', chatRequest());
    for (const chunk of events('openai', 'chat-text.stream.sse')) sink.streamChunk(chunk);
    sink.streamEnd();
    expect(sink.meteredUsage()).toEqual({ usage: usage(31, 23), source: 'upstream' });
  });

  it('counts an OpenAI stream cut midway (client gone, upstream failed): the request, and what came before the cut', () => {
    const sink = passthrough('oai', chatRequest());
    // The role chunk and "The capital of France is Paris." (7 tokens), then nothing.
    for (const chunk of events('openai', 'chat-text.stream.sse').slice(0, 8)) sink.streamChunk(chunk);
    expect(sink.meteredUsage()).toEqual({ usage: usage(28, 7), source: 'tokenizer' });
  });

  it('counts a server that never sends usage, streamed and not', () => {
    const streamed = passthrough('oai', chatRequest());
    for (const chunk of withoutUsage(events('openai', 'chat-text.stream.sse'))) streamed.streamChunk(chunk);
    streamed.streamEnd();
    expect(streamed.usage).toBeNull();
    expect(streamed.meteredUsage()).toEqual({ usage: usage(28, 24), source: 'tokenizer' });

    const body = JSON.parse(fixture('openai', 'chat-text.response.json').toString('utf8')) as Record<string, unknown>;
    delete body.usage;
    const whole = passthrough('oai', chatRequest());
    whole.body(Buffer.from(JSON.stringify(body)), 200, 'application/json');
    expect(whole.meteredUsage()).toEqual({ usage: usage(28, 24), source: 'tokenizer' });
  });

  it('bills nothing for a stream cut before its first token, and nothing for an answer never received', () => {
    const cut = passthrough('oai', chatRequest());
    cut.streamChunk(events('openai', 'chat-text.stream.sse')[0]!);
    expect(cut.meteredUsage()).toEqual({ usage: null, source: 'estimate' });
    expect(passthrough('oai', chatRequest()).meteredUsage()).toEqual({ usage: null, source: 'estimate' });
  });

  it("combines Anthropic's input count from message_start with the output counted up to the cut", () => {
    const sink = passthrough('ant', messagesRequest());
    // message_start (27 input), block start, ping, two text deltas (23 tokens), then the cut.
    for (const chunk of events('anthropic', 'messages-text.stream.sse').slice(0, 5)) sink.streamChunk(chunk);
    expect(sink.meteredUsage()).toEqual({ usage: usage(27, 23), source: 'tokenizer' });
  });

  it("keeps Anthropic's partial usage as it is when the cut came before any output", () => {
    const sink = passthrough('ant', messagesRequest());
    sink.streamChunk(events('anthropic', 'messages-text.stream.sse')[0]!);
    expect(sink.meteredUsage()).toEqual({ usage: usage(27, 2), source: 'upstream' });
  });

  it("an Anthropic stream that ends in an error event: message_start's input, the text before the error counted", () => {
    const sink = passthrough('ant', messagesRequest());
    for (const chunk of events('anthropic', 'error-midstream.sse')) sink.streamChunk(chunk);
    sink.streamEnd();
    expect(sink.meteredUsage()).toEqual({ usage: usage(27, 8), source: 'tokenizer' });
  });

  it('after message_delta the usage is final, even if message_stop never came', () => {
    const sink = passthrough('ant', messagesRequest());
    const chunks = events('anthropic', 'messages-text.stream.sse');
    for (const chunk of chunks.slice(0, -1)) sink.streamChunk(chunk);
    expect(sink.meteredUsage()).toEqual({ usage: usage(27, 104), source: 'upstream' });
  });

  it(`still counts right when a long stream passes the retention limit (${RETAINED_BYTES_LIMIT} bytes) and is folded as it goes`, () => {
    const sink = passthrough('oai', chatRequest());
    const piece = ' word'.repeat(1000);
    const event = Buffer.from(`data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
    const n = Math.ceil((3 * RETAINED_BYTES_LIMIT) / event.length);
    for (let i = 0; i < n; i++) sink.streamChunk(event);
    // " word" is one token: 1,000 per event.
    expect(sink.meteredUsage()).toEqual({ usage: usage(28, 1000 * n), source: 'tokenizer' });
  });
});

describe('TranslatingSink.meteredUsage', () => {
  it('counts an OpenAI stream cut midway, translated for an Anthropic client', () => {
    const sink = new TranslatingSink(wire('oai'), anthropicMessagesDialect, chatRequest(), model);
    for (const chunk of events('openai', 'chat-text.stream.sse').slice(0, 8)) sink.streamChunk(chunk);
    expect(sink.meteredUsage()).toEqual({ usage: usage(28, 7), source: 'tokenizer' });
  });

  it("combines the Anthropic decoder's partial usage with the output counted up to the cut", () => {
    const sink = new TranslatingSink(wire('ant'), openAIChatDialect, messagesRequest(), model);
    for (const chunk of events('anthropic', 'messages-text.stream.sse').slice(0, 5)) sink.streamChunk(chunk);
    expect(sink.meteredUsage()).toEqual({ usage: usage(27, 23), source: 'tokenizer' });
  });

  it('counts an Anthropic stream that failed midway on an error event', () => {
    const sink = new TranslatingSink(wire('ant'), openAIChatDialect, messagesRequest(), model);
    for (const chunk of events('anthropic', 'error-midstream.sse')) sink.streamChunk(chunk);
    expect(sink.streamError?.code).toBe('upstream_error');
    expect(sink.meteredUsage()).toEqual({ usage: usage(27, 8), source: 'tokenizer' });
  });

  it("takes the upstream's usage from a whole stream, and counts a server without usage", () => {
    const full = new TranslatingSink(wire('oai'), anthropicMessagesDialect, chatRequest(), model);
    for (const chunk of events('openai', 'chat-text.stream.sse')) full.streamChunk(chunk);
    full.streamEnd();
    expect(full.meteredUsage()).toEqual({ usage: usage(31, 23), source: 'upstream' });

    const bare = new TranslatingSink(wire('oai'), anthropicMessagesDialect, chatRequest(), model);
    for (const chunk of withoutUsage(events('openai', 'chat-text.stream.sse'))) bare.streamChunk(chunk);
    bare.streamEnd();
    expect(bare.meteredUsage()).toEqual({ usage: usage(28, 24), source: 'tokenizer' });
  });
});
