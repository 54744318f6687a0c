import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { hashApiKey } from '../src/keys/hash-api-key.ts';
import type { CallerKey, KeyLookup } from '../src/pipeline/index.ts';
import { Gateway } from '../src/server/index.ts';
import { createLogger } from '../src/telemetry/index.ts';
import { HoldingUpstream } from './support/holding-upstream.ts';
import { until } from './support/until.ts';

/**
 * Capacity protection end to end (docs/capacity.md), by counts rather than clocks: an upstream that
 * holds every request until the test releases it, behind a gateway whose provider has
 * `capacity.maxInFlight` slots. Keys of several tenants and tiers come from an in-memory key lookup.
 */
const KEYS: Record<string, CallerKey> = {};
for (const [name, tenantId, tier] of [
  ['heavy', 'tenant-heavy', 'standard'],
  ['light', 'tenant-light', 'standard'],
  ['other', 'tenant-other', 'standard'],
  ['premium', 'tenant-vip', 'premium'],
  ['batch', 'tenant-batch', 'batch'],
] as const) {
  KEYS[hashApiKey(`sk-test-${name}-000000000000`)] = { id: `key-${name}`, tenantId, name, tier, class: 'external', allowedModels: null };
}
const keyOf = (name: string): string => `sk-test-${name}-000000000000`;

const lookup: KeyLookup = { empty: false, lookup: async (hash) => KEYS[hash] };

interface Setup {
  upstream: HoldingUpstream;
  gateway: Gateway;
  origin: string;
}

let running: Setup | null = null;

async function start(capacity: string, topLevel = ''): Promise<Setup> {
  const upstream = new HoldingUpstream();
  const url = await upstream.start();
  const config = parseConfigText(
    `
log: { level: silent }
timeouts: { headersMs: 30000, idleMs: 30000, keepAliveMs: 20000 }
${topLevel}
providers:
  gpu:
    type: openai-compatible
    baseUrl: ${url}
    capacity: ${capacity}
models:
  - { name: "gpu-model", provider: gpu }
`,
    'test',
    {},
  );
  const gateway = new Gateway({ config, keys: lookup, logger: createLogger('silent') });
  const { url: origin } = await gateway.listen(0, '127.0.0.1');
  running = { upstream, gateway, origin };
  return running;
}

afterEach(async () => {
  if (!running) return;
  running.upstream.releaseAll();
  await running.gateway.shutdown(500);
  await running.upstream.stop();
  running = null;
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { error?: { code?: string; type?: string }; choices?: unknown[] };
}

async function chat(origin: string, key: string, label: string, options: { stream?: boolean; signal?: AbortSignal } = {}): Promise<Answer> {
  const response = await fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keyOf(key)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpu-model', stream: options.stream ?? false, messages: [{ role: 'user', content: label }] }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: options.stream && response.ok ? {} : (JSON.parse(text) as Answer['body']) };
}

const waiting = (s: Setup): number => s.gateway.capacity.gate('gpu')!.waiting;

describe('capacity: slots and the fair queue', () => {
  it('never has more than maxInFlight requests at the upstream, streamed or not, and serves every one', async () => {
    const s = await start('{ maxInFlight: 3, queue: { maxQueued: 100, timeoutMs: 30000 } }');
    const keys = ['heavy', 'light', 'other', 'premium', 'batch'];
    const answers = Promise.all(Array.from({ length: 40 }, (_, i) => chat(s.origin, keys[i % keys.length]!, `r${i}`, { stream: i % 2 === 0 })));
    let released = 0;
    while (released < 40) {
      await s.upstream.waitForHeld(Math.min(3, 40 - released));
      expect(s.upstream.inFlight).toBeLessThanOrEqual(3);
      s.upstream.release();
      released++;
    }
    const done = await answers;
    expect(done.map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(s.upstream.maxInFlight).toBe(3);
    expect(s.upstream.arrivals).toHaveLength(40);
  });

  for (const [weights, lightWithin] of [
    ['{}', 20],
    ['{ tenant-light: 4 }', 13],
  ] as const) {
    it(`gives a light tenant behind a 20× flood its weighted share (weights ${weights}): its 10 requests are all served within the next ${lightWithin}`, async () => {
      const s = await start('{ maxInFlight: 2, queue: { maxQueued: 500, timeoutMs: 30000 } }', `capacity: { tenantWeights: ${weights} }`);
      const answers: Array<Promise<Answer>> = [];
      for (let i = 0; i < 200; i++) answers.push(chat(s.origin, 'heavy', `heavy-${i}`));
      await until(() => waiting(s) === 198, 'the flood to queue');
      for (let i = 0; i < 10; i++) answers.push(chat(s.origin, 'light', `light-${i}`));
      await until(() => waiting(s) === 208, 'the light tenant to queue');
      await s.upstream.waitForHeld(2);
      const order: string[] = [];
      for (let i = 0; i < 2 + lightWithin; i++) {
        s.upstream.release();
        await s.upstream.waitForHeld(2);
        order.push(s.upstream.held[1]!.label);
      }
      const light = order.filter((label) => label.startsWith('light')).length;
      // FIFO would serve them after all 200 heavy ones.
      expect(light, order.join(' ')).toBe(10);
      s.upstream.releaseAll();
      expect((await Promise.all(answers)).every((a) => a.status === 200)).toBe(true);
    });
  }

  it('always serves a higher class first: premium, then standard, then batch', async () => {
    const s = await start('{ maxInFlight: 1, queue: { maxQueued: 100, timeoutMs: 30000 } }');
    const answers = [chat(s.origin, 'batch', 'batch-0')];
    await s.upstream.waitForHeld(1);
    for (let i = 1; i <= 20; i++) answers.push(chat(s.origin, 'batch', `batch-${i}`));
    await until(() => waiting(s) === 20, 'batch requests to queue');
    answers.push(chat(s.origin, 'light', 'standard-0'), chat(s.origin, 'premium', 'premium-0'));
    await until(() => waiting(s) === 22, 'the better classes to queue');
    answers.push(chat(s.origin, 'premium', 'premium-1'));
    await until(() => waiting(s) === 23, 'the second premium to queue');
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      s.upstream.release();
      await s.upstream.waitForHeld(1);
      order.push(s.upstream.held[0]!.label);
    }
    expect(order).toEqual(['premium-0', 'premium-1', 'standard-0', 'batch-1']);
    s.upstream.releaseAll();
    expect((await Promise.all(answers)).every((a) => a.status === 200)).toBe(true);
  });

  it('times a waiting request out with 503 capacity_queue_timeout and Retry-After; it never reaches the upstream', async () => {
    const s = await start('{ maxInFlight: 1, queue: { maxQueued: 10, timeoutMs: 300 } }');
    const holder = chat(s.origin, 'heavy', 'holder');
    await s.upstream.waitForHeld(1);
    const late = await chat(s.origin, 'light', 'late');
    expect(late.status).toBe(503);
    expect(late.body.error).toMatchObject({ code: 'capacity_queue_timeout', type: 'overloaded_error' });
    expect(Number(late.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(s.upstream.arrivals).toEqual(['holder']);
    s.upstream.release();
    expect((await holder).status).toBe(200);
  });

  it('drops a request whose client goes away while it waits: it takes no slot and never reaches the upstream', async () => {
    const s = await start('{ maxInFlight: 1, queue: { maxQueued: 10, timeoutMs: 30000 } }');
    const holder = chat(s.origin, 'heavy', 'holder');
    await s.upstream.waitForHeld(1);
    const controller = new AbortController();
    const gone = chat(s.origin, 'light', 'gone', { signal: controller.signal }).catch((e: unknown) => e);
    const next = chat(s.origin, 'other', 'next');
    await until(() => waiting(s) === 2, 'two requests to queue');
    controller.abort();
    expect(await gone).toBeInstanceOf(Error);
    await until(() => waiting(s) === 1, 'the abandoned request to leave the queue');
    s.upstream.release();
    await s.upstream.waitForHeld(1);
    expect(s.upstream.held[0]!.label).toBe('next');
    s.upstream.release();
    expect([(await holder).status, (await next).status]).toEqual([200, 200]);
    expect(s.upstream.arrivals).toEqual(['holder', 'next']);
    expect(s.gateway.capacity.gate('gpu')!.inUse).toBe(0);
  });

  it('frees the slot of a request whose client leaves mid-answer', async () => {
    const s = await start('{ maxInFlight: 1, queue: { maxQueued: 10, timeoutMs: 30000 } }');
    const controller = new AbortController();
    const cut = chat(s.origin, 'heavy', 'cut', { signal: controller.signal, stream: true }).catch((e: unknown) => e);
    await s.upstream.waitForHeld(1);
    const next = chat(s.origin, 'light', 'next');
    await until(() => waiting(s) === 1, 'the next request to queue');
    controller.abort();
    await cut;
    await until(() => s.upstream.arrivals.includes('next'), 'the next request to reach the upstream');
    await until(() => s.upstream.held.length === 1, 'the cut request to close at the upstream');
    expect(s.upstream.held.map((h) => h.label)).toEqual(['next']);
    // Moat aborts the upstream request before it gives the slot to the next one.
    expect(s.upstream.maxInFlight).toBe(1);
    s.upstream.release();
    expect((await next).status).toBe(200);
  });

  it('sheds with 503 capacity_queue_full and Retry-After, in the OpenAI and the Anthropic dialect', async () => {
    const s = await start('{ maxInFlight: 1, queue: { maxQueued: 1, timeoutMs: 30000 } }');
    const holder = chat(s.origin, 'heavy', 'holder');
    await s.upstream.waitForHeld(1);
    const queued = chat(s.origin, 'heavy', 'queued');
    await until(() => waiting(s) === 1, 'one request to queue');

    const openai = new OpenAI({ apiKey: keyOf('light'), baseURL: `${s.origin}/v1`, maxRetries: 0 });
    const openaiError = await openai.chat.completions.create({ model: 'gpu-model', messages: [{ role: 'user', content: 'shed' }] }).catch((e: unknown) => e);
    expect(openaiError).toBeInstanceOf(OpenAI.InternalServerError);
    const oe = openaiError as InstanceType<typeof OpenAI.InternalServerError>;
    expect(oe.status).toBe(503);
    expect(oe.code).toBe('capacity_queue_full');
    expect(oe.type).toBe('overloaded_error');
    expect(Number(oe.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    const anthropic = new Anthropic({ apiKey: keyOf('light'), baseURL: s.origin, maxRetries: 0 });
    const anthropicError = await anthropic.messages.create({ model: 'gpu-model', max_tokens: 10, messages: [{ role: 'user', content: 'shed' }] }).catch((e: unknown) => e);
    expect(anthropicError).toBeInstanceOf(Anthropic.ServiceUnavailableError);
    const ae = anthropicError as InstanceType<typeof Anthropic.ServiceUnavailableError>;
    expect(ae.status).toBe(503);
    expect(ae.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error', details: { moat_code: 'capacity_queue_full' } } });
    expect(Number(ae.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);

    expect(s.upstream.arrivals).toEqual(['holder']);
    s.upstream.releaseAll();
    expect([(await holder).status, (await queued).status]).toEqual([200, 200]);
    const metrics = await s.gateway.metrics.registry.metrics();
    expect(metrics).toContain('moat_capacity_shed_total{provider="gpu",reason="queue_full"} 2');
  });

  it("lets the OpenAI SDK's retry honour Retry-After: shed, waits, then served", async () => {
    const s = await start('{ maxInFlight: 1, queue: { maxQueued: 0, timeoutMs: 30000 } }');
    // A quick exchange first, so the gate's estimate of a slot's hold time is short (Retry-After: 1).
    s.upstream.autoAnswerMs = 1;
    expect((await chat(s.origin, 'heavy', 'warm-up')).status).toBe(200);
    s.upstream.autoAnswerMs = null;
    const holder = chat(s.origin, 'heavy', 'holder');
    await s.upstream.waitForHeld(1);
    const openai = new OpenAI({ apiKey: keyOf('light'), baseURL: `${s.origin}/v1`, maxRetries: 1 });
    const started = Date.now();
    const retried = openai.chat.completions.create({ model: 'gpu-model', messages: [{ role: 'user', content: 'retried' }] });
    await new Promise((r) => setTimeout(r, 200));
    s.upstream.release();
    await s.upstream.waitForHeld(1);
    expect(s.upstream.held[0]!.label).toBe('retried');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    s.upstream.release();
    expect((await retried).choices[0]!.message.content).toBe('done retried');
    expect((await holder).status).toBe(200);
  });

  it('applies a reload to the gate in place: slots held stay counted, a raised maxInFlight serves more at once', async () => {
    const s = await start('{ maxInFlight: 1, queue: { maxQueued: 10, timeoutMs: 30000 } }');
    const answers = [0, 1, 2].map((i) => chat(s.origin, 'heavy', `r${i}`));
    await s.upstream.waitForHeld(1);
    await until(() => waiting(s) === 2, 'two requests to queue');
    const next = structuredClone(s.gateway.config);
    next.providers.gpu!.capacity = { maxInFlight: 2, queue: { maxQueued: 10, timeoutMs: 30000 } };
    s.gateway.reload(next);
    await s.upstream.waitForHeld(2);
    expect(waiting(s)).toBe(1);
    expect(s.upstream.inFlight).toBe(2);
    s.upstream.releaseAll();
    expect((await Promise.all(answers)).map((a) => a.status)).toEqual([200, 200, 200]);
  });
});
