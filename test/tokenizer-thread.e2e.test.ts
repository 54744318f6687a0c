import { readdirSync, readFileSync } from 'node:fs';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenizerPlace, tokenizerThreadReady } from '../src/tokens/index.ts';
import { adminRequest } from './support/admin-request.ts';
import { fixtureJson } from './support/fixtures.ts';
import { ledgerRowIn, streamThenLeave } from './support/metered-requests.ts';
import { serveOnFakeUpstream, type ServedOnFakeUpstream } from './support/serve-on-fake-upstream.ts';

/**
 * A gateway whose upstreams report usage needs the tokenizer only when a client leaves mid-stream
 * (docs/metering.md, decision 0020): the first such request is billed with the approximation and
 * starts the tokenizer in a thread of its own; later ones are counted there with o200k_base. Counts
 * as in test/usage-fallback.e2e.test.ts: 28 prompt tokens, 7 for the first seven content events.
 */
const ADMIN_KEY = 'moat-admin-test-key-0123456789';
const MESSAGES = fixtureJson<{ messages: OpenAI.ChatCompletionMessageParam[] }>('chat-text.request.json').messages;
let served: ServedOnFakeUpstream;
let key = '';

beforeAll(async () => {
  served = await serveOnFakeUpstream('moat-tokenizer-thread-', (url) => `
providers:
  fake: { type: openai, baseUrl: ${url}, apiKeyEnv: FAKE_UPSTREAM_KEY }
models:
  - { name: "*", provider: fake }
pricing:
  models:
    - { provider: fake, model: "*", input: "2.50", output: "10" }
`, ADMIN_KEY);
  await adminRequest(served.serving.url, ADMIN_KEY, 'POST', '/admin/tenants', { name: 'acme' });
  key = String((await adminRequest(served.serving.url, ADMIN_KEY, 'POST', '/admin/keys', { tenant: 'acme', name: 'ci' })).body.key);
});
afterAll(() => served.stop());

/** The nice values of this process's threads (Linux: `/proc/self/task/<tid>/stat`, field 19). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('the tokenizer, needed only when a client leaves, loads in a thread of its own', () => {
  it('the first client to leave is billed with the approximation; the next ones are counted in the thread', async () => {
    expect(tokenizerPlace()).toBe('none');
    const leave = () => streamThenLeave(served.serving.url, key, { model: 'hang-8-chat-text', messages: MESSAGES }, 8);

    const first = await ledgerRowIn(served.dir, await leave());
    expect(first).toMatchObject({ status: 499, usageSource: 'estimate' });
    // Characters ÷ 4 of the answer's first seven events, not o200k's 7.
    expect(first.outputTokens).not.toBe(7);

    await tokenizerThreadReady();
    expect(tokenizerPlace()).toBe('thread');
    const second = await ledgerRowIn(served.dir, await leave());
    // 28 × 2.50 + 7 × 10 = 140 µUSD.
    expect(second).toMatchObject({ status: 499, inputTokens: 28, outputTokens: 7, usageSource: 'tokenizer', costMicros: 140n });
    expect(tokenizerPlace()).toBe('thread');
  });

  it.runIf(process.platform === 'linux')('runs at the lowest scheduling priority, so its load does not take turns with the event loop', () => {
    // The thread was started by the test above; no other thread of this process lowers its priority.
    expect(tokenizerPlace()).toBe('thread');
    expect(threadNiceValues().filter((nice) => nice === 19)).toHaveLength(1);
    expect(threadNiceValues()).toContain(0);
  });
});
