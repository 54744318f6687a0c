import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { Gateway, serve } from '../src/server/index.ts';
import { openStorage } from '../src/storage/index.ts';
import { createLogger } from '../src/telemetry/index.ts';
import { FaultUpstream } from './support/fault-upstream.ts';
import { until } from './support/until.ts';

const KEY = 'sk-moat-routing-test-key-0001';
const ENV = { UP_KEY: 'sk-upstream' };

interface Rig {
  gateway: Gateway;
  up: Record<'a' | 'b' | 'c', FaultUpstream>;
  openai: OpenAI;
  anthropic: Anthropic;
  logs: () => string;
  close(): Promise<void>;
}

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

/**
 * Three fault-injecting upstreams (a, b: premium; c: local) behind `a-model`, `b-model`, `c-model`,
 * and the given routes and routing settings. Retries wait 10–40 ms so the tests stay quick.
 */
async function start(extra: string, providerExtra: Partial<Record<'a' | 'b' | 'c', string>> = {}, moreModels = ''): Promise<Rig> {
  const up = { a: new FaultUpstream('a'), b: new FaultUpstream('b'), c: new FaultUpstream('c') };
  const urls = await Promise.all([up.a.start(), up.b.start(), up.c.start()]);
  const provider = (name: 'a' | 'b' | 'c', url: string) => `  ${name}: { type: openai-compatible, baseUrl: ${url}, apiKeyEnv: UP_KEY${providerExtra[name] ? `, ${providerExtra[name]}` : ''} }`;
  const yaml = `
auth: { keys: [{ name: client, key: ${KEY} }] }
timeouts: { headersMs: 400, idleMs: 400, keepAliveMs: 10000 }
providers:
${provider('a', urls[0]!)}
${provider('b', urls[1]!)}
${provider('c', urls[2]!)}
models:
  - { name: a-model, provider: a, model: upstream-a }
  - { name: b-model, provider: b, model: upstream-b }
  - { name: c-model, provider: c, model: upstream-c, tier: local }
${moreModels}
${extra}
`;
  const config = parseConfigText(yaml, 'routing test', ENV);
  let logText = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  const gateway = new Gateway({ config, env: ENV, logger: createLogger('info', sink) });
  const { url } = await gateway.listen(0, '127.0.0.1');
  return {
    gateway,
    up,
    openai: new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 }),
    anthropic: new Anthropic({ baseURL: url, apiKey: KEY, maxRetries: 0 }),
    logs: () => logText,
    async close() {
      await gateway.shutdown(200);
      await Promise.all(Object.values(up).map((u) => u.stop()));
    },
  };
}

const FAST_RETRY = 'routing: { retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 2000 }, breaker: { failureThreshold: 10 } }';
const SMART = 'routes:\n  - { name: smart, aliases: [best], targets: [a-model, b-model] }';
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

async function chat(r: Rig, model: string, stream = false) {
  if (stream) {
    const { data, response } = await r.openai.chat.completions.create({ model, ...ask, stream: true }).withResponse();
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    return { text, headers: response.headers };
  }
  const { data, response } = await r.openai.chat.completions.create({ model, ...ask }).withResponse();
  return { text: data.choices[0]!.message.content, headers: response.headers };
}

describe('fallbacks through the official SDKs', () => {
  it('a route whose first target fails answers from the second, and the headers say so (OpenAI SDK, stream and not)', async () => {
    rig = await start(`${FAST_RETRY}\n${SMART}`);
    rig.up.a.fallback = '500';
    for (const stream of [false, true]) {
      const { text, headers } = await chat(rig, 'smart', stream);
      expect(text).toBe('served by b');
      expect(headers.get('x-moat-route')).toBe('route:smart');
      expect(headers.get('x-moat-served-model')).toBe('b/upstream-b');
      // One retry of `a` (maxRetries 1), then `b`.
      expect(headers.get('x-moat-attempts')).toBe('3; a/upstream-a=upstream_error, a/upstream-a=upstream_error, b/upstream-b=200');
    }
    expect(rig.up.a.chatRequests).toBe(4);
    expect(rig.up.b.chatRequests).toBe(2);
  });

  it('an Anthropic client on the same route falls back too (translated path), by alias', async () => {
    rig = await start(`${FAST_RETRY}\n${SMART}`);
    rig.up.a.next('503', '503');
    const { data, response } = await rig.anthropic.messages.create({ model: 'best', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] }).withResponse();
    expect(data.content).toMatchObject([{ type: 'text', text: 'served by b' }]);
    expect(response.headers.get('x-moat-served-model')).toBe('b/upstream-b');
    expect(response.headers.get('x-moat-attempts')).toMatch(/^3; /);
  });

  it('a client error from the upstream (400) is answered at once: no retry, no fallback', async () => {
    rig = await start(`${FAST_RETRY}\n${SMART}`);
    rig.up.a.next('400');
    const error = await rig.openai.chat.completions.create({ model: 'smart', ...ask }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(rig.up.a.chatRequests).toBe(1);
    expect(rig.up.b.chatRequests).toBe(0);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-moat-attempts')).toBe('1; a/upstream-a=upstream_bad_request');
  });

  it('when every target fails, the last failure is answered, after exactly maxAttempts attempts', async () => {
    rig = await start(`routing: { maxAttempts: 3, retry: { maxRetries: 5, baseDelayMs: 5, maxDelayMs: 50 }, breaker: { failureThreshold: 100 } }\n${SMART}`);
    rig.up.a.fallback = '503';
    rig.up.b.fallback = '503';
    const error = await rig.openai.chat.completions.create({ model: 'smart', ...ask }).catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect(rig.up.a.chatRequests + rig.up.b.chatRequests).toBe(3);
  });
});

describe('fault injection', () => {
  it("a 429 is retried on the same target after its Retry-After; one longer than maxDelayMs moves on at once", async () => {
    rig = await start(`${FAST_RETRY}\n${SMART}`);
    rig.up.a.next('429:1');
    let started = performance.now();
    const first = await chat(rig, 'smart');
    const waited = performance.now() - started;
    expect(first.text).toBe('served by a');
    expect(first.headers.get('x-moat-attempts')).toBe('2; a/upstream-a=upstream_rate_limited, a/upstream-a=200');
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(1800);

    rig.up.a.next('429:30');
    started = performance.now();
    const second = await chat(rig, 'smart');
    expect(second.text).toBe('served by b');
    expect(performance.now() - started).toBeLessThan(500);
    // `a` asked for 30 s: until then it goes after `b`.
    const third = await chat(rig, 'smart');
    expect(third.text).toBe('served by b');
    expect(third.headers.get('x-moat-attempts')).toBe('1; b/upstream-b=200');
  });

  it('a client that leaves during a backoff ends the request: no further attempt reaches any upstream', async () => {
    rig = await start(`${FAST_RETRY}\n${SMART}`);
    rig.up.a.next('429:1');
    const leave = new AbortController();
    setTimeout(() => leave.abort(), 300);
    const error = await rig.openai.chat.completions.create({ model: 'smart', ...ask }, { signal: leave.signal }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    await new Promise((r) => setTimeout(r, 1200));
    expect(rig.up.a.chatRequests).toBe(1);
    expect(rig.up.b.chatRequests).toBe(0);
  });

  it('a stream whose connection is reset before its first byte falls back; one reset after bytes ends in an error the SDK throws', async () => {
    rig = await start(`routing: { retry: { maxRetries: 0 } }\n${SMART}`);
    rig.up.a.next('reset');
    const { text, headers } = await chat(rig, 'smart', true);
    expect(text).toBe('served by b');
    expect(headers.get('x-moat-attempts')).toBe('2; a/upstream-a=upstream_unreachable, b/upstream-b=200');

    rig.up.a.next('reset-midstream');
    const stream = await rig.openai.chat.completions.create({ model: 'smart', ...ask, stream: true });
    let text2 = '';
    const error = await (async () => {
      for await (const chunk of stream) text2 += chunk.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text2).toBe('partial ');
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(rig.up.b.chatRequests).toBe(1);
  });

  it('a stream cut after its head and before any event, with nothing to fall back to, answers with an error head, not the stream head set for it', async () => {
    rig = await start('routing: { retry: { maxRetries: 0 } }');
    rig.up.a.next('reset');
    const response = await fetch(`${rig.openai.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'a-model', ...ask, stream: true }),
    });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('cache-control')).toBeNull();
    expect(response.headers.get('x-moat-served-model')).toBeNull();
    expect(response.headers.get('x-moat-attempts')).toBe('1; a/upstream-a=upstream_unreachable');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upstream_unreachable');
  });

  it('a stalled upstream times out (headersMs) and the request falls back: no client left hanging', async () => {
    rig = await start(`routing: { retry: { maxRetries: 0 } }\n${SMART}`);
    rig.up.a.next('stall');
    const started = performance.now();
    const { text, headers } = await chat(rig, 'smart', true);
    expect(text).toBe('served by b');
    expect(headers.get('x-moat-attempts')).toBe('2; a/upstream-a=upstream_timeout, b/upstream-b=200');
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('a 5xx storm opens the breaker (closed → open → half-open → closed), and an open breaker costs the upstream nothing', async () => {
    rig = await start(`routing: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 3, openMs: 400 } }\n${SMART}`);
    rig.up.a.fallback = '500';
    for (let i = 0; i < 3; i++) expect((await chat(rig, 'smart')).text).toBe('served by b');
    expect(rig.up.a.chatRequests).toBe(3);
    // Open: `a` is skipped without a request.
    const skipped = await chat(rig, 'smart');
    expect(skipped.headers.get('x-moat-route')).toBe('route:smart skipped:a-model=breaker_open');
    expect(skipped.headers.get('x-moat-attempts')).toBe('1; b/upstream-b=200');
    expect(rig.up.a.chatRequests).toBe(3);
    // A route with only `a` gets a 503 with Retry-After at once.
    const alone = await rig.openai.chat.completions.create({ model: 'a-model', ...ask }).catch((e: unknown) => e);
    expect((alone as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((alone as InstanceType<typeof OpenAI.APIError>).code).toBe('no_healthy_target');
    expect((alone as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('1');
    // After openMs, one trial goes through; the upstream has recovered, so the breaker closes.
    await new Promise((r) => setTimeout(r, 450));
    rig.up.a.fallback = 'ok';
    expect((await chat(rig, 'smart')).text).toBe('served by a');
    expect((await chat(rig, 'smart')).text).toBe('served by a');
    const transitions = rig
      .logs()
      .split('\n')
      .filter((l) => l.includes('"circuit breaker"'))
      .map((l) => JSON.parse(l) as { upstream: string; from: string; to: string })
      .map((l) => `${l.upstream}:${l.from}->${l.to}`);
    expect(transitions).toEqual(['a:closed->open', 'a:open->half-open', 'a:half-open->closed']);
    const metrics = await (await fetch(`${rig.openai.baseURL.replace('/v1', '')}/metrics`)).text();
    expect(metrics).toMatch(/moat_upstream_breaker_state\{upstream="a"\} 0/);
    expect(metrics).toMatch(/moat_upstream_attempts_total\{upstream="a",result="server_error"\} 3/);
  });

  it('a failed half-open trial opens the breaker again', async () => {
    rig = await start(`routing: { retry: { maxRetries: 0 }, breaker: { failureThreshold: 2, openMs: 300 } }\n${SMART}`);
    rig.up.a.fallback = '503';
    await chat(rig, 'smart');
    await chat(rig, 'smart');
    await new Promise((r) => setTimeout(r, 350));
    const trial = await chat(rig, 'smart');
    expect(trial.headers.get('x-moat-attempts')).toBe('2; a/upstream-a=upstream_overloaded, b/upstream-b=200');
    const after = await chat(rig, 'smart');
    expect(after.headers.get('x-moat-route')).toContain('a-model=breaker_open');
    expect(rig.up.a.chatRequests).toBe(3);
  });

  it('active health probes take a failing upstream out of its routes and bring it back', async () => {
    rig = await start(SMART, { a: 'health: { intervalMs: 250, timeoutMs: 200, unhealthyAfter: 2, healthyAfter: 1 }' });
    rig.up.a.down = true;
    await until(() => rig!.logs().includes('upstream probe failing'), 'the probe to fail', 3000);
    const { text, headers } = await chat(rig, 'smart');
    expect(text).toBe('served by b');
    expect(headers.get('x-moat-route')).toBe('route:smart skipped:a-model=probe_down');
    expect(rig.up.a.chatRequests).toBe(0);
    rig.up.a.down = false;
    await until(() => rig!.logs().includes('upstream probe recovered'), 'the probe to recover', 3000);
    expect((await chat(rig, 'smart')).text).toBe('served by a');
  });
});

describe('balancing across replicas', () => {
  it('weighted: traffic splits by weight', async () => {
    rig = await start('routes:\n  - { name: pool, targets: [r1, r2], strategy: weighted }', {}, '  - { name: r1, provider: a, model: m, weight: 3 }\n  - { name: r2, provider: b, model: m, weight: 1 }');
    // Eight clients at a time, as a pool of replicas would see them.
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 40; i++) await chat(rig!, 'pool');
    }));
    const share = rig.up.a.chatRequests / 320;
    // Binomial(320, 0.75): sd ≈ 0.024, so ±0.09 is over 3.5 sd.
    expect(share).toBeGreaterThan(0.66);
    expect(share).toBeLessThan(0.84);
  }, 30_000);

  it('least-latency: most traffic goes to the faster replica, and the slower is still sampled', async () => {
    rig = await start('routes:\n  - { name: pool, targets: [a-model, b-model, c-model], strategy: least-latency }');
    rig.up.a.fallback = 'delay:40';
    rig.up.b.fallback = 'ok';
    rig.up.c.fallback = 'delay:15';
    for (let i = 0; i < 90; i++) await chat(rig, 'pool');
    // Power of two choices: the fastest of three is first in 2/3 of draws, the slowest never once measured.
    expect(rig.up.b.chatRequests).toBeGreaterThan(45);
    expect(rig.up.a.chatRequests).toBeLessThan(10);
  }, 30_000);
});

describe('route rules and the local tier', () => {
  it('a tag (header or metadata) and the key tier pick a rule; x-moat-route names it', async () => {
    rig = await start(`routes:\n  - name: smart\n    targets: [a-model, b-model]\n    rules:\n      - { when: { tag: batch }, targets: [c-model] }`);
    const byHeader = await rig.openai.chat.completions.create({ model: 'smart', ...ask }, { headers: { 'x-moat-tags': 'x, batch' } }).withResponse();
    expect(byHeader.data.choices[0]!.message.content).toBe('served by c');
    expect(byHeader.response.headers.get('x-moat-route')).toBe('route:smart rule:0');
    const byMetadata = await rig.openai.chat.completions.create({ model: 'smart', ...ask, metadata: { tags: 'batch' } });
    expect(byMetadata.choices[0]!.message.content).toBe('served by c');
    expect((await chat(rig, 'smart')).text).toBe('served by a');
  });

  it('capabilities and context windows skip targets; when none is left the client gets a 400 that says why', async () => {
    rig = await start('routes:\n  - { name: pick, targets: [small, big] }', {}, '  - { name: small, provider: a, model: m, contextWindow: 50, capabilities: [tools] }\n  - { name: big, provider: b, model: m, capabilities: [] }');
    const long = await rig.openai.chat.completions.create({ model: 'pick', messages: [{ role: 'user', content: 'word '.repeat(200) }] }).withResponse();
    expect(long.data.choices[0]!.message.content).toBe('served by b');
    expect(long.response.headers.get('x-moat-route')).toBe('route:pick skipped:small=context');
    const tools = [{ type: 'function' as const, function: { name: 'f', parameters: { type: 'object' } } }];
    const both = await rig.openai.chat.completions.create({ model: 'pick', messages: [{ role: 'user', content: 'word '.repeat(200) }], tools }).catch((e: unknown) => e);
    expect((both as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((both as InstanceType<typeof OpenAI.APIError>).code).toBe('context_length_exceeded');
  });

  it('GET /v1/models lists routes and aliases beside the models', async () => {
    rig = await start(SMART);
    const ids = (await rig.openai.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['smart', 'best', 'a-model', 'b-model', 'c-model']));
  });
});

describe('the ledger records every routing decision', () => {
  it('a request that fell back has one row: the served target, its attempts and the route reason', async () => {
    const a = new FaultUpstream('a');
    const b = new FaultUpstream('b');
    const [aUrl, bUrl] = await Promise.all([a.start(), b.start()]);
    const dir = mkdtempSync(join(tmpdir(), 'moat-routing-ledger-'));
    const file = join(dir, 'moat.yaml');
    writeFileSync(
      file,
      `
log: { level: silent }
storage: { path: ${join(dir, 'moat.db')}, journalDir: ${join(dir, 'journal')} }
auth: { keys: [{ name: client, key: ${KEY} }] }
routing: { retry: { maxRetries: 0 } }
providers:
  a: { type: openai-compatible, baseUrl: ${aUrl}, apiKeyEnv: UP_KEY }
  b: { type: openai-compatible, baseUrl: ${bUrl}, apiKeyEnv: UP_KEY }
models:
  - { name: a-model, provider: a, model: upstream-a }
  - { name: b-model, provider: b, model: upstream-b }
${SMART}
`,
    );
    const serving = await serve({ configPath: file, port: 0, env: ENV });
    try {
      a.next('503');
      const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: KEY, maxRetries: 0 });
      const { response } = await client.chat.completions.create({ model: 'smart', ...ask }).withResponse();
      const id = response.headers.get('x-request-id')!;
      const storage = await openStorage({ path: join(dir, 'moat.db') });
      try {
        await until(async () => (await storage.ledger.get(id)) !== undefined, 'the ledger row');
        const row = (await storage.ledger.get(id))!;
        expect(row).toMatchObject({ requestedModel: 'smart', servedModel: 'upstream-b', provider: 'b', status: 200, attempts: 2, inputTokens: 5, outputTokens: 3 });
        expect(row.routeReason).toBe('route:smart; attempts: 2; a/upstream-a=upstream_overloaded, b/upstream-b=200');
      } finally {
        await storage.close();
      }
    } finally {
      await serving.stop();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
