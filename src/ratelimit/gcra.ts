/**
 * The generic cell rate algorithm (GCRA; decision 0013): a token bucket of `limit` per `periodMs`,
 * kept as one number per counter, the theoretical arrival time (`tat`) — the moment the bucket would
 * be full again. A request of cost `c` moves it `c × periodMs / limit` later and is admitted when it
 * lands no further than one period ahead of now. Pure: time comes in as `now`.
 *
 * The Lua scripts in redis-scripts.ts compute the same thing on the Redis server; keep them in step.
 */
export const PERIOD_MS = 60_000;

/** Float slack: 7 × (60000 / 7) must still fit in 60000. */
const EPSILON = 1e-6;

export interface GcraOutcome {
  allowed: boolean;
  /** The counter's new state (unchanged when refused). */
  tat: number;
  /** Whole units left after this admission (or, refused, before it). */
  remaining: number;
  /** Ms until the bucket is full again (nothing counted any more). */
  resetMs: number;
  /** 0 when admitted; ms until this cost would be admitted; Infinity when it never will (cost > limit). */
  retryAfterMs: number;
}

function remainingAt(tat: number, now: number, interval: number, periodMs: number): number {
  return Math.max(0, Math.floor((periodMs - (tat - now)) / interval + EPSILON));
}

/** `tat` undefined: a counter never used or expired (a full bucket). */
export function gcraAdmit(tat: number | undefined, now: number, limit: number, cost: number, periodMs: number = PERIOD_MS): GcraOutcome {
  const interval = periodMs / limit;
  const base = tat === undefined || tat < now ? now : tat;
  const next = base + cost * interval;
  if (next - now <= periodMs + EPSILON) {
    return { allowed: true, tat: next, remaining: remainingAt(next, now, interval, periodMs), resetMs: next - now, retryAfterMs: 0 };
  }
  const retryAfterMs = cost * interval > periodMs + EPSILON ? Infinity : next - periodMs - now;
  return { allowed: false, tat: base, remaining: remainingAt(base, now, interval, periodMs), resetMs: base - now, retryAfterMs };
}

/**
 * Settles a reservation: moves the counter by `deltaCost` units (negative: a refund). Undefined when the
 * bucket ends up full, so the counter can be dropped; a refund never fills it past its limit.
 */
export function gcraAdjust(tat: number | undefined, now: number, limit: number, deltaCost: number, periodMs: number = PERIOD_MS): number | undefined {
  const base = tat === undefined || tat < now ? now : tat;
  const next = base + deltaCost * (periodMs / limit);
  return next <= now ? undefined : next;
}
