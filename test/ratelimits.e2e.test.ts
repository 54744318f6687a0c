import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { CLIENT_KEY, startTestGateway, TEST_ENV, testConfigYaml, type TestGateway } from './support/start-gateway.ts';

/**
 * Rate limits on one gateway (in-process counters), through the official SDKs: the headers of each
 * dialect, 429 bodies, the OpenAI SDK's retry after `retry-after-ms`, concurrency slots freed on every
 * way a response can end, and token reservations settled on actual usage.
 */
function configYaml(upstreamUrl: string, anthropicUrl: string): string {
  return (
    testConfigYaml(upstreamUrl, anthropicUrl).replace(
      'providers:\n',
      `providers:\n  patient: { type: openai, baseUrl: ${upstreamUrl}, apiKeyEnv: FAKE_UPSTREAM_KEY, timeouts: { idleMs: 20000 } }\n`,
    ) +
    `  - { name: rl-headers, provider: fake, model: fx-chat-text }
  - { name: rl-retry, provider: fake, model: fx-chat-text }
  - { name: rl-small, provider: fake, model: fx-chat-text }
  - { name: rl-hang, provider: patient, model: hang-2-chat-text }
  - { name: rl-fail, provider: fake, model: status-500 }
  - { name: rl-embed, provider: fake, model: fx-embeddings }
  - { name: rl-claude, provider: ant, model: fx-messages-text }
rateLimits:
  rules:
    - { name: headers, match: { model: rl-headers }, per: key, requestsPerMinute: 100, tokensPerMinute: 6000 }
    - { name: retry, match: { model: rl-retry }, per: key, requestsPerMinute: 60 }
    - { name: small, match: { model: rl-small }, per: tenant, tokensPerMinute: 500 }
    - { name: hang, match: { model: rl-hang }, per: key, concurrent: 2 }
    - { name: fail, match: { model: rl-fail }, per: key, concurrent: 1 }
    - { name: embed, match: { model: rl-embed }, per: [key, model], requestsPerMinute: 5 }
    - { name: claude, match: { model: rl-claude }, per: key, requestsPerMinute: 1, tokensPerMinute: 100000 }
`
  );
}

let moat: TestGateway;

beforeAll(async () => {
  moat = await startTestGateway({ config: (u, a) => parseConfigText(configYaml(u, a), 'test', TEST_ENV) });
});
afterAll(() => moat.close());

const MAX_TOKENS = 1000;

async function chat(model: string, init: { signal?: AbortSignal; stream?: boolean; maxTokens?: number } = {}) {
  const response = await fetch(`${moat.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: init.maxTokens ?? MAX_TOKENS, stream: init.stream ?? false, messages: [{ role: 'user', content: 'hello there' }] }),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  return response;
}

const header = (response: Response, name: string) => response.headers.get(name);

describe('rate limits on one gateway', () => {
  it('sends no rate-limit headers when no rule applies', async () => {
    const response = await chat('fx-chat-text');
    expect(response.status).toBe(200);
    expect(header(response, 'x-ratelimit-limit-requests')).toBeNull();
    await response.text();
  });

  it("sends OpenAI's headers with the most restrictive limits, and settles the token reservation on actual usage", async () => {
    const first = await chat('rl-headers');
    expect(first.status).toBe(200);
    await first.json();
    expect(header(first, 'x-ratelimit-limit-requests')).toBe('100');
    expect(header(first, 'x-ratelimit-remaining-requests')).toBe('99');
    expect(header(first, 'x-ratelimit-reset-requests')).toBe('600ms');
    expect(header(first, 'x-ratelimit-limit-tokens')).toBe('6000');
    // The reservation: the prompt counted with o200k_base plus the whole max_tokens.
    const reserved = 6000 - Number(header(first, 'x-ratelimit-remaining-tokens'));
    expect(reserved).toBeGreaterThan(MAX_TOKENS);
    expect(reserved).toBeLessThan(MAX_TOKENS + 30);
    expect(header(first, 'x-ratelimit-reset-tokens')).toMatch(/^\d+(\.\d+)?s$/);

    // The fixture's usage is 31 + 23 tokens: once settled, the next request finds 6000 − 54 − its own
    // reservation (and a little refill), not 6000 − 2 reservations.
    const second = await chat('rl-headers');
    await second.json();
    expect(Number(header(second, 'x-ratelimit-remaining-tokens'))).toBeGreaterThanOrEqual(6000 - 54 - reserved);
  });

  it('refuses a token estimate above the whole limit, not retryable', async () => {
    const response = await chat('rl-small');
    expect(response.status).toBe(429);
    expect(header(response, 'x-should-retry')).toBe('false');
    expect(header(response, 'retry-after')).toBeNull();
    expect(header(response, 'x-ratelimit-limit-tokens')).toBe('500');
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded', moat_code: 'token_rate_limit_exceeded' });
    expect(body.error.message).toMatch(/^Request too large for tokens per minute \(TPM\) on this key's tenant \(rule small\): Limit 500, Requested 10\d\d/);
  });

  it('answers 429 rate_limit_exceeded with Retry-After, and the OpenAI SDK retries after retry-after-ms and succeeds', async () => {
    const burst = await Promise.all(Array.from({ length: 60 }, () => chat('rl-retry').then(async (r) => (await r.text(), r.status))));
    expect(burst.every((s) => s === 200)).toBe(true);

    const attempts: Array<{ status: number; at: number; retryAfterMs: string | null; retryAfter: string | null; shouldRetry: string | null; remaining: string | null; body: string }> = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const started = performance.now();
      const response = await fetch(input, init);
      const body = response.status === 200 ? '' : await response.clone().text();
      attempts.push({
        status: response.status,
        at: started,
        retryAfterMs: header(response, 'retry-after-ms'),
        retryAfter: header(response, 'retry-after'),
        shouldRetry: header(response, 'x-should-retry'),
        remaining: header(response, 'x-ratelimit-remaining-requests'),
        body,
      });
      return response;
    };
    const client = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 2, fetch: recordingFetch });
    const completion = await client.chat.completions.create({ model: 'rl-retry', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]!.message.content).toBeTruthy();

    expect(attempts.map((a) => a.status)).toEqual([429, 200]);
    const refused = attempts[0]!;
    expect(refused).toMatchObject({ shouldRetry: 'true', remaining: '0' });
    const waitMs = Number(refused.retryAfterMs);
    expect(waitMs).toBeGreaterThan(0);
    expect(waitMs).toBeLessThanOrEqual(1000);
    expect(refused.retryAfter).toBe('1');
    // The SDK slept for retry-after-ms before its second attempt.
    expect(attempts[1]!.at - refused.at).toBeGreaterThanOrEqual(waitMs - 1);
    const body = JSON.parse(refused.body) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded', moat_code: 'rate_limit_exceeded', param: null });
    expect(body.error.message).toMatch(/^Rate limit reached for requests per minute \(RPM\) on this key \(rule retry\): Limit 60, Remaining 0\. Please try again in \d+ms\.$/);

    const noRetry = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
    const error = await noRetry.chat.completions.create({ model: 'rl-retry', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).type).toBe('requests');
  });

  it("sends Anthropic's headers and rate_limit_error to Anthropic clients", async () => {
    const client = new Anthropic({ baseURL: moat.origin, apiKey: CLIENT_KEY, maxRetries: 0 });
    const { data, response } = await client.messages.create({ model: 'rl-claude', max_tokens: 200, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(data.content.length).toBeGreaterThan(0);
    expect(header(response, 'anthropic-ratelimit-requests-limit')).toBe('1');
    expect(header(response, 'anthropic-ratelimit-requests-remaining')).toBe('0');
    expect(header(response, 'anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const reset = Date.parse(header(response, 'anthropic-ratelimit-requests-reset')!);
    expect(reset - Date.now()).toBeGreaterThan(50_000);
    expect(reset - Date.now()).toBeLessThanOrEqual(61_000);
    expect(header(response, 'anthropic-ratelimit-tokens-limit')).toBe('100000');
    expect(header(response, 'x-ratelimit-limit-requests')).toBeNull();

    const error = await client.messages.create({ model: 'rl-claude', max_tokens: 200, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const apiError = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error', details: { moat_code: 'rate_limit_exceeded' } } });
    expect(Number(apiError.headers?.get('retry-after'))).toBeGreaterThan(50);
    expect(apiError.headers?.get('anthropic-ratelimit-requests-remaining')).toBe('0');
  });

  it('limits embeddings too', async () => {
    const response = await fetch(`${moat.baseURL}/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rl-embed', input: 'hello' }),
    });
    expect(response.status).toBe(200);
    expect(header(response, 'x-ratelimit-limit-requests')).toBe('5');
    expect(header(response, 'x-ratelimit-remaining-requests')).toBe('4');
    await response.text();
  });

  it('holds a concurrency slot per open response and frees it when the client goes away', async () => {
    const controllers = [new AbortController(), new AbortController()];
    const open = await Promise.all(controllers.map((c) => chat('rl-hang', { stream: true, signal: c.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);

    const refused = await chat('rl-hang', { stream: true });
    expect(refused.status).toBe(429);
    expect(header(refused, 'retry-after')).toBe('1');
    expect(((await refused.json()) as { error: Record<string, unknown> }).error).toMatchObject({ code: 'rate_limit_exceeded', moat_code: 'concurrency_limit_exceeded', type: 'requests' });

    controllers[0]!.abort();
    const third = new AbortController();
    const deadline = Date.now() + 5000;
    let status = 429;
    // The slot frees when the server sees the disconnect; retry until it has.
    while (status === 429 && Date.now() < deadline) {
      const response = await chat('rl-hang', { stream: true, signal: third.signal });
      status = response.status;
      if (status === 429) {
        await response.text();
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    expect(status).toBe(200);
    controllers[1]!.abort();
    third.abort();
  });

  it('frees the slot of a request that failed upstream', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await chat('rl-fail');
      expect(response.status).toBe(502);
      await response.text();
    }
  });

  it('counts refusals in /metrics', async () => {
    const text = await (await fetch(`${moat.origin}/metrics`)).text();
    expect(text).toMatch(/moat_rate_limited_total\{kind="requests"\} [1-9]/);
    expect(text).toMatch(/moat_rate_limited_total\{kind="tokens"\} [1-9]/);
    expect(text).toMatch(/moat_rate_limited_total\{kind="concurrent"\} [1-9]/);
  });
});
