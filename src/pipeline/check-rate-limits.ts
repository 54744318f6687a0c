import type { AppliedLimits, RateLimitGrant } from '../ratelimit/index.ts';
import { rateLimitHeaders } from '../ratelimit/index.ts';
import type { Call, Target } from './call.ts';

/**
 * Tokens the request turned out to use, to settle its reservation: the metered usage (the meter ran
 * first, on the same `close`), else the upstream's; 0 when nothing was generated (refused before the
 * upstream, or an upstream error before any output); null when unknown (the reservation stands).
 */
function usedTokens(call: Call): number | null {
  const usage = call.outcome.usage ?? call.sink?.usage ?? null;
  if (usage !== null) return usage.inputTokens + usage.outputTokens;
  if (call.sink === undefined || (call.outcome.status >= 400 && !call.sink.sawFirstToken)) return 0;
  return null;
}

/**
 * Stage 4¼: the rate limits of the key, its tenant and the model (docs/ratelimits.md). Requests with
 * no matching rule pass after one map lookup. Otherwise the request is counted — 1 request, its token
 * estimate (prompt + output allowance, counted only when a tokens limit applies), 1 concurrent slot —
 * on every limit at once, the `x-ratelimit-*` / `anthropic-ratelimit-*` headers are set, and a refusal
 * is a 429 with `Retry-After`. When the response closes (answered, failed or abandoned) the slot is
 * freed and the token reservation settled on actual usage, exactly once.
 */
export function checkRateLimits(call: Call, target: Target, countInputTokens: () => Promise<number>, maxOutputTokens: number | undefined): Promise<void> | undefined {
  const config = call.runtime.config.rateLimits;
  const { key } = call;
  if (config.rules.length === 0 || key === null) return undefined;
  const limits = call.rateLimiter.limitsFor(config, key, {
    requested: call.requestedModel ?? target.entry.name,
    entryName: target.entry.name,
    served: `${target.provider.name}/${target.upstreamModel}`,
  });
  // No limit applies: nothing to wait for (undefined), so the request goes on in this turn.
  if (limits === null) return undefined;
  return admit(call, limits, countInputTokens, maxOutputTokens);
}

async function admit(call: Call, limits: AppliedLimits, countInputTokens: () => Promise<number>, maxOutputTokens: number | undefined): Promise<void> {
  const config = call.runtime.config.rateLimits;
  const tokens = limits.countsTokens ? (await countInputTokens()) + (maxOutputTokens ?? config.defaultMaxOutputTokens) : 0;

  // Listen before the admission's await: a client may leave while Redis answers.
  let closed = false;
  let grant: RateLimitGrant | null = null;
  call.res.once('close', () => {
    closed = true;
    grant?.finish(usedTokens(call));
  });
  const admission = await call.rateLimiter.admit(limits, tokens, call.id, config.redis.onOutage);
  for (const [name, value] of rateLimitHeaders(admission.view, call.dialect.name === 'anthropic-messages', Date.now())) call.headers[name] = value;
  if (!admission.allowed) {
    const { refusal } = admission;
    call.metrics.rateLimited.inc({ kind: refusal.check.kind });
    if (refusal.retryAfterMs !== null) call.headers['retry-after-ms'] = String(refusal.retryAfterMs);
    throw refusal.error;
  }
  grant = admission.grant;
  if (closed || call.finalized) grant.finish(usedTokens(call));
}
