import type { CanonicalRequest } from '../canonical/index.ts';
import { FAILURE_CLASSES } from '../config/index.ts';
import { MoatError } from '../errors/index.ts';
import { filterCandidates, leastLatencyOrder, requiredCapabilities, tierFirstOrder, weightedOrder, type ResolvedModel, type RouteChoice, type Skipped } from '../routing/index.ts';
import type { Call, RoutePlan } from './call.ts';
import { chooseRoute, toTarget } from './choose-route.ts';
import { requestTags } from './request-tags.ts';

/** The error when no target is left: the most telling reason among the skipped ones. */
function noCandidate(call: Call, choice: RouteChoice, skipped: readonly Skipped[], needs: ReadonlySet<string>): MoatError {
  const unavailable = skipped.filter((s) => s.why === 'breaker_open' || s.why === 'probe_down');
  const retryAfter = String(Math.max(1, Math.ceil(Math.min(...unavailable.map((s) => call.health.retryInMs(s.target.entry.provider))) / 1000)));
  if (call.requiredTier === 'local') {
    const local = skipped.filter((s) => s.target.entry.tier === 'local');
    const must = `This request must stay on the local tier (${call.requiredTierReason ?? 'policy'})`;
    if (local.length === 0) return new MoatError('no_local_target', `${must} and '${choice.name}' has no local target; nothing was sent to a premium target.`);
    const whys = [...new Set(local.map((s) => s.why))].join(', ');
    return new MoatError('no_local_target', `${must} and no local target of '${choice.name}' is available now (${whys}); nothing was sent to a premium target.`, {
      ...(unavailable.length > 0 ? { retryAfter } : {}),
    });
  }
  const whys = new Set(skipped.map((s) => s.why));
  if (unavailable.length > 0) return new MoatError('no_healthy_target', `Every target of '${choice.name}' is unavailable now (${[...whys].join(', ')}).`, { retryAfter });
  if (whys.has('context')) return new MoatError('context_length_exceeded', `The prompt plus max_tokens is longer than the context window of every target of '${choice.name}'.`, { param: 'messages' });
  return new MoatError('no_capable_target', `No target of '${choice.name}' supports what this request uses (${[...needs].join(', ')}).`, { param: 'model' });
}

/** The targets in the order to try them, with what decided it. */
function order(call: Call, choice: RouteChoice, usable: ResolvedModel[], request: CanonicalRequest): { ordered: ResolvedModel[]; why: string } {
  const route = choice.route;
  const strategy = route?.strategy ?? 'fallback';
  const head = route === null ? `model:${choice.name}` : `route:${choice.name}${choice.rule === null ? '' : ` rule:${choice.rule}`}`;
  if (strategy === 'weighted') return { ordered: weightedOrder(usable, Math.random), why: `${head} weighted` };
  if (strategy === 'least-latency') return { ordered: leastLatencyOrder(usable, (u) => call.health.latencyMs(u), Math.random), why: `${head} least-latency` };
  const scorer = call.runtime.difficulty;
  if (strategy === 'difficulty' && route?.difficulty && scorer) {
    const score = scorer.score(request);
    const threshold = scorer.thresholdFor(route.difficulty);
    const tier = score > threshold ? 'premium' : 'local';
    return { ordered: tierFirstOrder(usable, tier), why: `${head} difficulty:${tier} score=${score.toFixed(3)} threshold=${threshold.toFixed(3)}` };
  }
  return { ordered: usable, why: head };
}

/**
 * Stage 3, routing (docs/routing.md): the client's model name → a route → the targets that can take
 * this request now (tier required by privacy, capabilities, context window, health), ordered by the
 * route's strategy. The first is the target rate limits and budgets price against; the fallback loop
 * tries the rest. `x-moat-route` says what decided.
 */
export function planRoute(call: Call, request: CanonicalRequest, wire: Record<string, unknown>, promptTokens: () => number): RoutePlan {
  const needs = requiredCapabilities(request);
  const choice = chooseRoute(call, request.model, { tags: requestTags(call.req.headers['x-moat-tags'], wire), needs, promptTokens });
  const { usable, skipped } = filterCandidates(choice.targets, {
    needs,
    requiredTier: call.requiredTier,
    promptTokens,
    maxOutputTokens: request.options.maxOutputTokens,
    unavailable: (upstream) => call.health.unavailable(upstream),
  });
  if (usable.length === 0) throw noCandidate(call, choice, skipped, needs);
  const { ordered: byStrategy, why } = order(call, choice, usable, request);
  // Targets whose upstream asked for a pause go last, still in strategy order.
  const cooling = byStrategy.map((t) => call.health.cooling(t.entry.provider));
  const ordered = cooling.includes(true) ? [...byStrategy.filter((_, i) => !cooling[i]), ...byStrategy.filter((_, i) => cooling[i])] : byStrategy;
  const skippedNote = skipped.length === 0 ? '' : ` skipped:${skipped.map((s) => `${s.target.entry.name}=${s.why}`).join(',')}`;
  const routing = call.runtime.config.routing;
  const fallbackOn = choice.route?.fallbackOn;
  const plan: RoutePlan = {
    name: choice.name,
    reason: `${why}${call.requiredTier ? ` tier:${call.requiredTier}` : ''}${skippedNote}`,
    candidates: ordered.map((resolved) => toTarget(call, resolved)),
    retry: { ...routing.retry, ...choice.route?.retry },
    fallbackOn: new Set(fallbackOn ?? FAILURE_CLASSES),
    maxAttempts: routing.maxAttempts,
  };
  call.route = plan;
  call.target = plan.candidates[0]!;
  call.headers['x-moat-route'] = plan.reason;
  return plan;
}
