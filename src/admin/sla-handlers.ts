import { z } from 'zod';
import { MoatError } from '../errors/index.ts';
import type { SlaReport, SlaTracker, UpstreamReport } from '../sla/index.ts';
import type { AdminContext, AdminHandler, AdminResult, JsonValue } from './admin-context.ts';
import { parseAdminInput } from './admin-validation.ts';

const slaQuery = z.strictObject({
  window: z.string().min(1).optional().describe('Only this window (`1m`, `5m`, `1h`…).'),
});

function tracker(ctx: AdminContext): SlaTracker {
  if (!ctx.sla) throw new MoatError('sla_disabled', 'The SLA is not measured on this gateway: `sla.enabled` is false.');
  return ctx.sla;
}

function view(upstream: UpstreamReport, window: string | undefined): { [key: string]: JsonValue } {
  const windows = window === undefined ? upstream.windows : Object.fromEntries(Object.entries(upstream.windows).filter(([label]) => label === window));
  return JSON.parse(JSON.stringify({ ...upstream, windows })) as { [key: string]: JsonValue };
}

function header(report: SlaReport): { [key: string]: JsonValue } {
  return { at: new Date(report.at).toISOString(), source: report.source, sliceMs: report.sliceMs };
}

/**
 * GET /admin/sla: every upstream's availability, error rates by class and latency/TTFT percentiles per
 * window, and its SLO verdicts; summed over all replicas when `sla.redis` is set (`source: redis`).
 */
export const getSla: AdminHandler = async (ctx, input): Promise<AdminResult> => {
  const query = parseAdminInput(slaQuery, input.query ?? {}, 'query');
  const report = await tracker(ctx).report();
  return { status: 200, body: { ...header(report), data: report.upstreams.map((u) => view(u, query.window)) } };
};

/** GET /admin/sla/:upstream: one upstream's figures; 404 when it has neither an SLO nor a recent attempt. */
export const getUpstreamSla: AdminHandler = async (ctx, input): Promise<AdminResult> => {
  const query = parseAdminInput(slaQuery, input.query ?? {}, 'query');
  const name = input.params?.upstream ?? '';
  const { report, upstream } = await tracker(ctx).upstreamReport(name);
  if (upstream === null) throw new MoatError('sla_upstream_not_found', `No SLA figures for the upstream '${name}': it has no \`slo\` and no attempt in the longest window.`, { param: 'upstream' });
  return { status: 200, body: { ...header(report), ...view(upstream, query.window) } };
};
