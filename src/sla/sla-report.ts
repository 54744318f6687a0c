import { evaluateSlo, type ObjectiveStatus, type SloConfig } from './slo.ts';
import type { Slice } from './slice.ts';
import { windowFigures, type WindowFigures } from './window-figures.ts';

export interface UpstreamReport {
  upstream: string;
  /** Window label (`1m`, `5m`, `1h`) → figures. */
  windows: Record<string, WindowFigures & { windowMs: number }>;
  slo: { windowMs: number; window: string; minRequests: number; objectives: ObjectiveStatus[] } | null;
}

export interface SlaReport {
  at: number;
  /** `redis`: every replica's figures summed; `local`: this replica's only (no Redis configured, or it did not answer). */
  source: 'redis' | 'local';
  sliceMs: number;
  upstreams: UpstreamReport[];
}

/** `60000` → `1m`, `300000` → `5m`, `3600000` → `1h`, `90000` → `90s`. */
export function windowLabel(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * The first slice start a window ending at `now` takes in: the current slice and the ones before it,
 * ⌈window / sliceMs⌉ in all, so the window covers between (n−1) and n slices of time.
 */
export function windowStart(now: number, windowMs: number, sliceMs: number): number {
  const current = Math.floor(now / sliceMs) * sliceMs;
  return current - (Math.ceil(windowMs / sliceMs) - 1) * sliceMs;
}

export interface ReportOptions {
  now: number;
  source: SlaReport['source'];
  sliceMs: number;
  windowsMs: readonly number[];
  slos: ReadonlyMap<string, SloConfig>;
}

/** Every upstream that has slices or an SLO, sorted. */
export function reportedUpstreams(slices: ReadonlyMap<string, readonly Slice[]>, slos: ReadonlyMap<string, SloConfig>): string[] {
  return [...new Set([...slices.keys(), ...slos.keys()])].sort();
}

/** One upstream's figures in every window, and its SLO verdicts. Pure. */
export function upstreamReport(upstream: string, list: readonly Slice[], options: ReportOptions): UpstreamReport {
  const { now, sliceMs } = options;
  const figuresOver = (windowMs: number): WindowFigures => {
    const from = windowStart(now, windowMs, sliceMs);
    return windowFigures(list.filter((s) => s.start >= from && s.start <= now));
  };
  const windows: UpstreamReport['windows'] = {};
  for (const windowMs of options.windowsMs) windows[windowLabel(windowMs)] = { windowMs, ...figuresOver(windowMs) };
  const slo = options.slos.get(upstream);
  if (slo === undefined) return { upstream, windows, slo: null };
  const figures = windows[windowLabel(slo.windowMs)] ?? figuresOver(slo.windowMs);
  return { upstream, windows, slo: { windowMs: slo.windowMs, window: windowLabel(slo.windowMs), minRequests: slo.minRequests, objectives: evaluateSlo(slo, figures) } };
}

/** Figures of every window, and SLO verdicts, for each upstream's slices. Pure. */
export function buildReport(slices: ReadonlyMap<string, readonly Slice[]>, options: ReportOptions): SlaReport {
  const upstreams = reportedUpstreams(slices, options.slos).map((u) => upstreamReport(u, slices.get(u) ?? [], options));
  return { at: options.now, source: options.source, sliceMs: options.sliceMs, upstreams };
}
