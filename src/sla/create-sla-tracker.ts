import type { MoatConfig } from '../config/index.ts';
import type { GatewayMetrics, Logger } from '../telemetry/index.ts';
import { registerSlaMetrics } from './sla-metrics.ts';
import { SlaTracker } from './sla-tracker.ts';

/**
 * The gateway's SLA tracker, started, its gauges registered; null when `sla.enabled` is false. It lives
 * in the `Gateway` and outlives config reloads: `current` gives the SLOs and alert settings of the day.
 */
export function createSlaTracker(config: MoatConfig, current: () => MoatConfig, logger: Logger, metrics: GatewayMetrics): SlaTracker | null {
  if (!config.sla.enabled) return null;
  const tracker = new SlaTracker({ settings: config.sla, logger, config: current });
  registerSlaMetrics(metrics.registry, () => tracker.latest);
  return tracker.start();
}
