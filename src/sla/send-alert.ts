import type { SlaConfig } from '../config/index.ts';
import type { Logger } from '../telemetry/index.ts';
import { windowLabel } from './sla-report.ts';
import type { SloAlert } from './slo-alerter.ts';
import { postWebhook, webhookHost } from './webhook.ts';

const MESSAGES = { slo_breached: 'slo breached', slo_still_breached: 'slo still breached', slo_recovered: 'slo recovered' } as const;

/** The webhook's JSON body (docs/sla.md). */
export function alertPayload(alert: SloAlert, replicaId: string): Record<string, unknown> {
  return {
    type: alert.kind,
    upstream: alert.upstream,
    objective: alert.objective,
    target: alert.target,
    observed: alert.observed,
    window: windowLabel(alert.windowMs),
    windowMs: alert.windowMs,
    at: new Date(alert.at).toISOString(),
    replica: replicaId,
  };
}

/** One log line (warn for a breach, info for a recovery), then the webhook when configured. */
export async function sendAlert(alert: SloAlert, settings: SlaConfig['alerts'], logger: Logger, replicaId: string): Promise<void> {
  const fields = { upstream: alert.upstream, objective: alert.objective, observed: alert.observed, target: alert.target, window: windowLabel(alert.windowMs) };
  if (alert.kind === 'slo_recovered') logger.info(fields, MESSAGES[alert.kind]);
  else logger.warn(fields, MESSAGES[alert.kind]);
  if (settings.webhookUrl === undefined) return;
  const result = await postWebhook(
    { url: settings.webhookUrl, retries: settings.retries, timeoutMs: settings.timeoutMs, backoffMs: settings.backoffMs },
    alertPayload(alert, replicaId),
  );
  if (!result.ok) {
    logger.warn({ webhook: webhookHost(settings.webhookUrl), attempts: result.attempts, last: result.last, upstream: alert.upstream, objective: alert.objective }, 'slo alert webhook failed');
  }
}
