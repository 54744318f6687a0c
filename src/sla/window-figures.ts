import { BUCKETS, quantileOf } from './log-histogram.ts';
import { CLASS_INDEX, OUTCOME_CLASSES, type OutcomeClass } from './outcome-class.ts';
import type { Slice } from './slice.ts';

export interface Quantiles {
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** What one upstream did over one window. Rates are fractions (0.25 = 25 %); latencies in ms. */
export interface WindowFigures {
  /** Every attempt in the window, whatever its outcome. */
  requests: number;
  /** Exact counts by outcome class. */
  counts: Record<OutcomeClass, number>;
  /** ok / (requests − client_error); null when that is 0. */
  availability: number | null;
  /** Each failure class / requests; `upstream` is server_error + timeout + connection (what the SLO's errorRate bounds). */
  errorRate: Record<Exclude<OutcomeClass, 'ok'> | 'upstream', number | null>;
  /** Of successful attempts only, like the TTFT (of those that streamed). */
  latencyMs: Quantiles;
  ttftMs: Quantiles & { samples: number };
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Figures of the slices' sum. Pure: the slices are read, not changed. */
export function windowFigures(slices: readonly Slice[]): WindowFigures {
  const counts = new Float64Array(OUTCOME_CLASSES.length);
  const latency = new Float64Array(BUCKETS);
  const ttft = new Float64Array(BUCKETS);
  let ttftSamples = 0;
  for (const slice of slices) {
    for (let i = 0; i < counts.length; i++) counts[i]! += slice.counts[i]!;
    for (let i = slice.lo; i <= slice.hi; i++) {
      latency[i]! += slice.latency[i]!;
      ttft[i]! += slice.ttft[i]!;
    }
    ttftSamples += slice.ttftSamples;
  }
  const count = (c: OutcomeClass): number => counts[CLASS_INDEX[c]]!;
  const requests = counts.reduce((a, b) => a + b, 0);
  const rate = (n: number): number | null => (requests > 0 ? round(n / requests, 6) : null);
  const served = requests - count('client_error');
  const quantiles = (h: Float64Array, n: number): Quantiles => ({
    p50: round(quantileOf(h, n, 0.5), 2),
    p95: round(quantileOf(h, n, 0.95), 2),
    p99: round(quantileOf(h, n, 0.99), 2),
  });
  return {
    requests,
    counts: Object.fromEntries(OUTCOME_CLASSES.map((c) => [c, count(c)])) as Record<OutcomeClass, number>,
    availability: served > 0 ? round(count('ok') / served, 6) : null,
    errorRate: {
      client_error: rate(count('client_error')),
      rate_limited: rate(count('rate_limited')),
      server_error: rate(count('server_error')),
      timeout: rate(count('timeout')),
      connection: rate(count('connection')),
      upstream: rate(count('server_error') + count('timeout') + count('connection')),
    },
    latencyMs: quantiles(latency, count('ok')),
    ttftMs: { ...quantiles(ttft, ttftSamples), samples: ttftSamples },
  };
}
