/**
 * Microbenchmark of the routing stage per request (issue 6): `planRoute` on a three-target route with
 * rules (one dead upstream behind an open breaker, so a target is skipped), beside a plain model name
 * (a route of one target), and the attempt bookkeeping after an answer. Run:
 * `node bench/micro/routing.ts` (node_modules/.bin first on PATH). Prints a markdown table.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CanonicalRequest } from '../../src/canonical/index.ts';
import { parseConfigText } from '../../src/config/index.ts';
import { buildRuntime, type Call } from '../../src/pipeline/index.ts';
import { newAttempt } from '../../src/pipeline/new-attempt.ts';
import { planRoute } from '../../src/pipeline/plan-route.ts';
import { promptTokens } from '../../src/pipeline/prompt-tokens.ts';
import { recordAttempt } from '../../src/pipeline/record-attempt.ts';
import { UpstreamHealth } from '../../src/routing/index.ts';
import { GatewayMetrics } from '../../src/telemetry/index.ts';
import { medianNanos } from './measure.ts';

const BATCH = 20_000;
const BATCHES = 9;
const config = parseConfigText(
  `
providers:
  dead: { type: openai-compatible, baseUrl: http://127.0.0.1:9/v1 }
  a: { type: openai-compatible, baseUrl: http://127.0.0.1:10/v1 }
  b: { type: openai-compatible, baseUrl: http://127.0.0.1:11/v1 }
models:
  - { name: d, provider: dead, model: m, contextWindow: 128000, capabilities: [tools] }
  - { name: x, provider: a, model: m, contextWindow: 128000, capabilities: [tools, vision] }
  - { name: y, provider: b, model: m, tier: local }
  - { name: "*", provider: a }
routes:
  - name: smart
    targets: [d, x, y]
    rules:
      - { when: { tenant: other }, targets: [y] }
      - { when: { tag: batch }, targets: [y] }
`,
  'bench',
  {},
);
const runtime = buildRuntime(config, {});
const health = new UpstreamHealth(config.routing);
for (let i = 0; i < 5; i++) health.failure('dead', 'connection', 1, null);
const metrics = new GatewayMetrics();
const res = { setHeader: () => res, headersSent: false } as unknown as ServerResponse;
const req = { headers: {} } as IncomingMessage;

function newCall(): Call {
  return {
    req, res, runtime, health, metrics, key: { id: 'k', tenantId: 't', name: 'k', tier: 'standard', class: 'internal', allowedModels: null },
    attempts: [], requiredTier: null, requiredTierReason: null, sla: null, route: null, target: null, outcome: { clientClosed: false },
  } as unknown as Call;
}

const request = (model: string): CanonicalRequest => ({
  model, stream: true, includeUsage: false, options: { maxOutputTokens: 500 },
  messages: [
    { role: 'system', parts: [{ type: 'text', text: 'You are a helpful assistant.' }] },
    { role: 'user', parts: [{ type: 'text', text: 'Summarise the attached report in three bullet points. '.repeat(30) }] },
  ],
});
const routed = request('smart');
const plain = request('gpt-4o-mini');
const wire = {};

/** Median µs per request (bench/micro/measure.ts). */
const measure = async (op: () => void): Promise<number> => medianNanos(op, BATCH, BATCHES) / 1000;

const rows: Array<[string, number]> = [];
rows.push(['planRoute: plain model name (route of one target)', await measure(() => planRoute(newCall(), plain, wire, promptTokens(plain).now))]);
rows.push(['planRoute: route, 2 rules, 3 targets, context window check, one skipped (breaker open)', await measure(() => planRoute(newCall(), routed, wire, promptTokens(routed).now))]);
rows.push([
  'planRoute + one attempt recorded (breaker, latency average, metrics)',
  await measure(() => {
    const call = newCall();
    const plan = planRoute(call, routed, wire, promptTokens(routed).now);
    const attempt = newAttempt(call, plan.candidates[0]!);
    attempt.status = 200;
    attempt.headersMs = 20;
    attempt.endedMs = 65;
    recordAttempt(call, attempt);
  }),
]);
console.log(`node ${process.version}; median of ${BATCHES} batches of ${BATCH}\n`);
console.log('| step | µs per request |\n|---|---|');
for (const [name, us] of rows) console.log(`| ${name} | ${us.toFixed(2)} |`);
