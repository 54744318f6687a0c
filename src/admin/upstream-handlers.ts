import type { AdminHandler } from './admin-context.ts';

/**
 * GET /admin/upstreams: what routing knows of each upstream that has taken traffic or been probed —
 * circuit breaker state and when it lets a trial through, latency average, probe verdict, and any
 * `Retry-After` pause (docs/routing.md). Figures over windows are under `GET /admin/sla`.
 */
export const listUpstreams: AdminHandler = async (ctx) => {
  const views = ctx.health?.views() ?? [];
  return {
    status: 200,
    body: {
      upstreams: views.map((v) => ({
        upstream: v.upstream,
        breaker: v.breaker,
        retry_in_ms: v.retryInMs,
        latency_ewma_ms: v.latencyEwmaMs,
        probe: v.probe,
        cooling_for_ms: v.coolingForMs,
      })),
    },
  };
};
