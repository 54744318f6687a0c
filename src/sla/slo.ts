import type { WindowFigures } from './window-figures.ts';

/** A provider's `slo:` in config. */
export interface SloConfig {
  availability?: number | undefined;
  errorRate?: number | undefined;
  latencyP95Ms?: number | undefined;
  latencyP99Ms?: number | undefined;
  ttftP95Ms?: number | undefined;
  windowMs: number;
  minRequests: number;
}

export const OBJECTIVES = ['availability', 'errorRate', 'latencyP95Ms', 'latencyP99Ms', 'ttftP95Ms'] as const;
export type Objective = (typeof OBJECTIVES)[number];

export interface ObjectiveStatus {
  objective: Objective;
  target: number;
  observed: number | null;
  /** `no_data`: fewer than `minRequests` samples in the window; neither met nor breached. */
  status: 'met' | 'breached' | 'no_data';
}

/** Each configured objective of `slo` against the figures of its window. Pure. */
export function evaluateSlo(slo: SloConfig, figures: WindowFigures): ObjectiveStatus[] {
  const out: ObjectiveStatus[] = [];
  const served = figures.requests - figures.counts.client_error;
  const check = (objective: Objective, target: number | undefined, observed: number | null, samples: number, worse: (o: number, t: number) => boolean): void => {
    if (target === undefined) return;
    if (observed === null || samples < slo.minRequests) out.push({ objective, target, observed, status: 'no_data' });
    else out.push({ objective, target, observed, status: worse(observed, target) ? 'breached' : 'met' });
  };
  const below = (o: number, t: number): boolean => o < t;
  const above = (o: number, t: number): boolean => o > t;
  check('availability', slo.availability, figures.availability, served, below);
  check('errorRate', slo.errorRate, figures.errorRate.upstream, figures.requests, above);
  check('latencyP95Ms', slo.latencyP95Ms, figures.latencyMs.p95, figures.counts.ok, above);
  check('latencyP99Ms', slo.latencyP99Ms, figures.latencyMs.p99, figures.counts.ok, above);
  check('ttftP95Ms', slo.ttftP95Ms, figures.ttftMs.p95, figures.ttftMs.samples, above);
  return out;
}
