import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Serving } from '../src/server/index.ts';
import type { LedgerRow } from '../src/storage/index.ts';
import { loadTokenCounter } from '../src/tokens/index.ts';
import { fixtureJson } from './support/fixtures.ts';
import { serveOnFakeUpstream, type ServedOnFakeUpstream } from './support/serve-on-fake-upstream.ts';
import type { FakeUpstream } from './support/fake-upstream.ts';
import { adminRequest } from './support/admin-request.ts';
import { ledgerRowIn, streamThenLeave as leaveStream } from './support/metered-requests.ts';
import { until } from './support/until.ts';

/**
 * Metering when the upstream's usage is missing (docs/metering.md), through `moat serve` with its
 * database: a server that never reports usage, a client that leaves midway, an upstream that goes
 * silent midway, an upstream error. Expected counts are o200k_base's: the chat-text request's
 * messages are 28 tokens with OpenAI's framing; its whole answer is 24, and its first seven content
 * events ("The capital of France is Paris.") are 7. Prices: $2.50 input, $10 output per MTok.
 */
const ADMIN_KEY = 'moat-admin-test-key-0123456789';
const MESSAGES = fixtureJson<{ messages: OpenAI.ChatCompletionMessageParam[] }>('chat-text.request.json').messages;
let upstream: FakeUpstream;
let serving: Serving;
let dir: string;
let served: ServedOnFakeUpstream;
let key = '';

const ledgerRow = (requestId: string): Promise<LedgerRow> => ledgerRowIn(dir, requestId);
const streamThenLeave = (model: string, events: number): Promise<string> => leaveStream(serving.url, key, { model, messages: MESSAGES }, events);

beforeAll(async () => {
  served = await serveOnFakeUpstream('moat-usage-fallback-', (url) => `
providers:
  fake: { type: openai, baseUrl: ${url}, apiKeyEnv: FAKE_UPSTREAM_KEY }
  # A server that ignores stream_options, and says so in config: Moat loads the tokenizer at start.
  bare: { type: openai-compatible, baseUrl: ${url}, apiKeyEnv: FAKE_UPSTREAM_KEY, unsupportedParams: [stream_options] }
  slow: { type: openai, baseUrl: ${url}, apiKeyEnv: FAKE_UPSTREAM_KEY, timeouts: { idleMs: 300 } }
models:
  - { name: "bare-*", provider: bare, model: "nousage-*" }
  - { name: "slow-*", provider: slow, model: "hang-*" }
  - { name: "*", provider: fake }
pricing:
  models:
    - { provider: fake, model: "*", input: "2.50", output: "10" }
    - { provider: bare, model: "*", input: "2.50", output: "10" }
    - { provider: slow, model: "*", input: "2.50", output: "10" }
`, ADMIN_KEY);
  ({ upstream, serving, dir } = served);
  await adminRequest(serving.url, ADMIN_KEY, 'POST', '/admin/tenants', { name: 'acme' });
  key = String((await adminRequest(serving.url, ADMIN_KEY, 'POST', '/admin/keys', { tenant: 'acme', name: 'ci' })).body.key);
  // The preload started with the config; wait for it so every count below is o200k_base's.
  await loadTokenCounter();
});
afterAll(() => served.stop());

describe('usage counted with the tokenizer when the upstream reports none', () => {
  it('a server that never sends usage: the request and the answer counted, streamed and not', async () => {
    const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: key, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions.create({ model: 'bare-chat-text', messages: MESSAGES, stream: true }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('The capital of France is Paris. It sits on the Seine and is home to about 2.1 million people.');
    // 28 × 2.50 + 24 × 10 = 310 µUSD.
    expect(await ledgerRow(response.headers.get('x-request-id')!)).toMatchObject({ inputTokens: 28, outputTokens: 24, usageSource: 'tokenizer', costMicros: 310n, status: 200 });

    const plain = await client.chat.completions.create({ model: 'bare-chat-text', messages: MESSAGES }).withResponse();
    expect(plain.data.usage).toBeUndefined();
    expect(plain.response.headers.get('x-moat-cost')).toBe('0.000310');
    expect(await ledgerRow(plain.response.headers.get('x-request-id')!)).toMatchObject({ inputTokens: 28, outputTokens: 24, usageSource: 'tokenizer', status: 200 });
  });

  it('a client that leaves midway: 499, billed for the tokens generated before it left', async () => {
    const aborted = upstream.abortedRequests;
    // The upstream sends the role chunk and seven content events, then waits.
    const requestId = await streamThenLeave('hang-8-chat-text', 8);
    // 28 × 2.50 + 7 × 10 = 140 µUSD.
    expect(await ledgerRow(requestId)).toMatchObject({ status: 499, inputTokens: 28, outputTokens: 7, usageSource: 'tokenizer', costMicros: 140n });
    await until(() => upstream.abortedRequests > aborted, 'the upstream request to be aborted');
  });

  it('an upstream that goes silent midway: the error in the row, billed for what it generated', async () => {
    const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: key, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions.create({ model: 'slow-8-chat-text', messages: MESSAGES, stream: true }).withResponse();
    const failure = await (async () => {
      for await (const chunk of stream) void chunk;
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Error);
    expect(await ledgerRow(response.headers.get('x-request-id')!)).toMatchObject({
      status: 504,
      errorCode: 'upstream_idle_timeout',
      inputTokens: 28,
      outputTokens: 7,
      usageSource: 'tokenizer',
      costMicros: 140n,
    });
  });

  it('an upstream error before any output: a row with no tokens and no cost', async () => {
    const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: key, maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'status-500', messages: MESSAGES, stream: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const requestId = (error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-request-id');
    expect(await ledgerRow(requestId!)).toMatchObject({ status: 502, errorCode: 'upstream_error', inputTokens: 0, outputTokens: 0, costMicros: 0n, usageSource: 'estimate' });
  });
});
