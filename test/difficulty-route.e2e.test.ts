import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { loadDifficultyRouter } from '../src/difficulty/index.ts';
import { Gateway } from '../src/server/index.ts';
import { createLogger } from '../src/telemetry/index.ts';
import { FaultUpstream } from './support/fault-upstream.ts';

/**
 * `model: "auto"` through the official SDKs (docs/router.md): a route with `strategy: difficulty` sends a
 * routine prompt to the local target and a hard one to the premium target, and `x-moat-route` gives the
 * score and the threshold that decided. The expected tier is the shipped router's own verdict.
 */
const KEY = 'sk-moat-difficulty-test-key-0001';
const ENV = { UP_KEY: 'sk-upstream' };
const premium = new FaultUpstream('premium');
const local = new FaultUpstream('local');
let gateway: Gateway;
let openai: OpenAI;
let anthropic: Anthropic;

const ROUTINE = 'I still have not received my new card, where is it?';
const HARD = `Write a Rust library that parses a subset of SQL (SELECT with JOIN, WHERE, GROUP BY, HAVING and nested subqueries) into an AST with a recursive-descent parser, then plans it into a tree of relational operators, applying predicate pushdown and join reordering by estimated cardinality. Explain the time complexity of the planner, prove that predicate pushdown preserves the query's semantics under three-valued NULL logic, and include property-based tests with proptest that compare the optimized plan's results with the naive plan's on random tables.`;

beforeAll(async () => {
  const [premiumUrl, localUrl] = await Promise.all([premium.start(), local.start()]);
  const config = parseConfigText(
    `
auth: { keys: [{ name: client, key: ${KEY} }] }
log: { level: silent }
providers:
  cloud: { type: openai-compatible, baseUrl: ${premiumUrl}, apiKeyEnv: UP_KEY }
  gpu: { type: openai-compatible, baseUrl: ${localUrl}, apiKeyEnv: UP_KEY }
models:
  - { name: big, provider: cloud, model: big-model, tier: premium }
  - { name: small, provider: gpu, model: small-model, tier: local }
routes:
  - { name: auto, targets: [small, big], strategy: difficulty, difficulty: { premiumShare: 0.3 } }
`,
    'difficulty route test',
    ENV,
  );
  gateway = new Gateway({ config, env: ENV, logger: createLogger('silent') });
  const { url } = await gateway.listen(0, '127.0.0.1');
  openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: url, apiKey: KEY, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.shutdown(200);
  await Promise.all([premium.stop(), local.stop()]);
});

/** What the shipped router says about `text`, as the route sees it (one user message). */
function verdict(text: string): { tier: 'premium' | 'local'; score: number; threshold: number } {
  const router = loadDifficultyRouter();
  const score = router.score({ messages: [{ role: 'user', parts: [{ type: 'text', text }] }] });
  const threshold = router.thresholdFor({ premiumShare: 0.3 });
  return { tier: score >= threshold ? 'premium' : 'local', score, threshold };
}

describe('model "auto": the difficulty router picks the tier', () => {
  it('the shipped router calls the routine prompt local and the hard one premium (else this test proves nothing)', () => {
    expect(verdict(ROUTINE).tier).toBe('local');
    expect(verdict(HARD).tier).toBe('premium');
  });

  for (const [name, text] of [['routine', ROUTINE], ['hard', HARD]] as const) {
    it(`OpenAI SDK, ${name} prompt, stream and not: served by the ${name === 'hard' ? 'premium' : 'local'} target, x-moat-route says why`, async () => {
      const { tier, score, threshold } = verdict(text);
      for (const stream of [false, true]) {
        const { data, response } = await openai.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: text }], stream }).withResponse();
        let answer = '';
        if (stream) for await (const chunk of data as AsyncIterable<OpenAI.ChatCompletionChunk>) answer += chunk.choices[0]?.delta.content ?? '';
        else answer = (data as OpenAI.ChatCompletion).choices[0]!.message.content ?? '';
        expect(answer).toBe(`served by ${tier}`);
        expect(response.headers.get('x-moat-route')).toBe(`route:auto difficulty:${tier} score=${score.toFixed(3)} threshold=${threshold.toFixed(3)}`);
        expect(response.headers.get('x-moat-served-model')).toBe(tier === 'premium' ? 'cloud/big-model' : 'gpu/small-model');
      }
    });
  }

  it('Anthropic SDK on the same route (translated): the same decision and the same reason', async () => {
    for (const text of [ROUTINE, HARD]) {
      const { tier, score, threshold } = verdict(text);
      const { data, response } = await anthropic.messages.create({ model: 'auto', max_tokens: 64, messages: [{ role: 'user', content: text }] }).withResponse();
      expect(data.content[0]).toMatchObject({ type: 'text', text: `served by ${tier}` });
      expect(response.headers.get('x-moat-route')).toBe(`route:auto difficulty:${tier} score=${score.toFixed(3)} threshold=${threshold.toFixed(3)}`);
    }
  });

  it('counts: each target got only its own prompts', () => {
    // OpenAI: 2 each (stream and not); Anthropic: 1 each.
    expect([local.chatRequests, premium.chatRequests]).toEqual([3, 3]);
  });
});
