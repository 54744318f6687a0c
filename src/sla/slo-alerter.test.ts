import { describe, expect, it } from 'vitest';
import { SloAlerter } from './slo-alerter.ts';
import { evaluateSlo, type ObjectiveStatus } from './slo.ts';
import { Slice } from './slice.ts';
import { windowFigures } from './window-figures.ts';

const breached: ObjectiveStatus = { objective: 'availability', target: 0.99, observed: 0.5, status: 'breached' };
const met: ObjectiveStatus = { objective: 'availability', target: 0.99, observed: 1, status: 'met' };
const noData: ObjectiveStatus = { objective: 'availability', target: 0.99, observed: null, status: 'no_data' };

describe('evaluateSlo', () => {
  it('judges each configured objective, and gives no verdict under minRequests', () => {
    const slice = new Slice(0);
    for (let i = 0; i < 95; i++) slice.add({ at: 0, outcome: 'ok', latencyMs: 100, ttftMs: 30 });
    for (let i = 0; i < 5; i++) slice.add({ at: 0, outcome: 'server_error', latencyMs: 1, ttftMs: null });
    for (let i = 0; i < 50; i++) slice.add({ at: 0, outcome: 'client_error', latencyMs: 1, ttftMs: null });
    const figures = windowFigures([slice]);
    const slo = { availability: 0.99, errorRate: 0.05, latencyP95Ms: 90, latencyP99Ms: 200, ttftP95Ms: 50, windowMs: 60_000, minRequests: 20 };
    const verdicts = Object.fromEntries(evaluateSlo(slo, figures).map((o) => [o.objective, o.status]));
    // availability 95/100 < 0.99; upstream error rate 5/150 ≤ 0.05; p95 ≈ 100 > 90; p99 ≈ 100 ≤ 200; ttft ≈ 30 ≤ 50.
    expect(verdicts).toEqual({ availability: 'breached', errorRate: 'met', latencyP95Ms: 'breached', latencyP99Ms: 'met', ttftP95Ms: 'met' });
    expect(evaluateSlo({ ...slo, minRequests: 1000 }, figures).every((o) => o.status === 'no_data')).toBe(true);
    expect(evaluateSlo({ windowMs: 60_000, minRequests: 1, errorRate: 0.01 }, figures).map((o) => o.objective)).toEqual(['errorRate']);
  });
});

describe('SloAlerter', () => {
  const COOLDOWN = 60_000;
  it('alerts when a breach starts, reminds each cooldown, and says when it ends', () => {
    const alerter = new SloAlerter();
    const kinds = (status: ObjectiveStatus, now: number): string[] => alerter.step('up', [status], 300_000, now, COOLDOWN).map((a) => a.kind);
    expect(kinds(met, 0)).toEqual([]);
    expect(kinds(breached, 5_000)).toEqual(['slo_breached']);
    expect(kinds(breached, 10_000)).toEqual([]);
    expect(kinds(noData, 20_000)).toEqual([]);
    expect(kinds(breached, 65_000)).toEqual(['slo_still_breached']);
    expect(kinds(met, 70_000)).toEqual(['slo_recovered']);
    expect(kinds(met, 75_000)).toEqual([]);
  });

  it('a flapping objective alerts at most once per cooldown, and never recovers unannounced', () => {
    const alerter = new SloAlerter();
    const kinds = (status: ObjectiveStatus, now: number): string[] => alerter.step('up', [status], 300_000, now, COOLDOWN).map((a) => a.kind);
    expect(kinds(breached, 0)).toEqual(['slo_breached']);
    expect(kinds(met, 5_000)).toEqual(['slo_recovered']);
    expect(kinds(breached, 10_000)).toEqual([]);
    expect(kinds(met, 15_000)).toEqual([]);
    expect(kinds(breached, 20_000)).toEqual([]);
    expect(kinds(breached, 60_000)).toEqual(['slo_breached']);
    expect(alerter.isBreached('up', 'availability')).toBe(true);
  });

  it('keeps objectives of each upstream apart, and forgets unconfigured ones', () => {
    const alerter = new SloAlerter();
    expect(alerter.step('a', [breached], 1, 0, COOLDOWN)).toHaveLength(1);
    expect(alerter.step('b', [breached], 1, 0, COOLDOWN)).toHaveLength(1);
    alerter.retain(new Set(['a\u0000availability']));
    expect(alerter.isBreached('b', 'availability')).toBe(false);
    expect(alerter.step('b', [breached], 1, 1, COOLDOWN)[0]!.kind).toBe('slo_breached');
  });
});
