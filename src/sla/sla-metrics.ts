import { Gauge, type Registry } from 'prom-client';
import { OUTCOME_CLASSES } from './outcome-class.ts';
import type { SlaReport } from './sla-report.ts';

type Labels = Record<string, string>;

function gauge(registry: Registry, name: string, help: string, labelNames: string[], fill: (set: (labels: Labels, value: number) => void) => void): void {
  if (registry.getSingleMetric(name)) registry.removeSingleMetric(name);
  new Gauge({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      fill((labels, value) => this.set(labels, value));
    },
  });
}

/**
 * The SLA figures as Prometheus gauges, from the last evaluation (every `sla.evaluateMs`; summed over
 * replicas when Redis is shared). Labels: the provider name, the window label, an outcome class, a
 * quantile, an objective — all from config or fixed lists; never anything from a request.
 */
export function registerSlaMetrics(registry: Registry, latest: () => SlaReport | null): void {
  const each = (fn: (upstream: string, window: string, figures: SlaReport['upstreams'][number]['windows'][string]) => void): void => {
    for (const report of latest()?.upstreams ?? []) for (const [window, figures] of Object.entries(report.windows)) fn(report.upstream, window, figures);
  };
  gauge(registry, 'moat_sla_requests', 'Upstream attempts in the window, by outcome class.', ['upstream', 'window', 'class'], (set) =>
    each((upstream, window, f) => {
      for (const c of OUTCOME_CLASSES) set({ upstream, window, class: c }, f.counts[c]);
    }),
  );
  gauge(registry, 'moat_sla_availability', 'ok / (attempts − client errors) in the window; absent when there were none.', ['upstream', 'window'], (set) =>
    each((upstream, window, f) => {
      if (f.availability !== null) set({ upstream, window }, f.availability);
    }),
  );
  gauge(registry, 'moat_sla_error_rate', 'Share of attempts in the window that ended in this class (`upstream`: server_error + timeout + connection).', ['upstream', 'window', 'class'], (set) =>
    each((upstream, window, f) => {
      for (const [c, rate] of Object.entries(f.errorRate)) if (rate !== null) set({ upstream, window, class: c }, rate);
    }),
  );
  const quantiles = (name: string, help: string, pick: (f: SlaReport['upstreams'][number]['windows'][string]) => Record<'p50' | 'p95' | 'p99', number | null>): void =>
    gauge(registry, name, help, ['upstream', 'window', 'quantile'], (set) =>
      each((upstream, window, f) => {
        const q = pick(f);
        for (const [quantile, key] of [['0.5', 'p50'], ['0.95', 'p95'], ['0.99', 'p99']] as const) if (q[key] !== null) set({ upstream, window, quantile }, q[key] / 1000);
      }),
    );
  quantiles('moat_sla_latency_seconds', 'Latency of successful upstream attempts in the window, by quantile (within 2.5 %).', (f) => f.latencyMs);
  quantiles('moat_sla_ttft_seconds', 'Time to first token of successful streamed attempts in the window, by quantile (within 2.5 %).', (f) => f.ttftMs);
  gauge(registry, 'moat_sla_slo_breached', '1 while an objective of the upstream’s SLO is breached, 0 while met (absent without enough data).', ['upstream', 'objective'], (set) => {
    for (const report of latest()?.upstreams ?? []) {
      for (const o of report.slo?.objectives ?? []) if (o.status !== 'no_data') set({ upstream: report.upstream, objective: o.objective }, o.status === 'breached' ? 1 : 0);
    }
  });
}
