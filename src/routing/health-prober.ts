import type { Logger } from '../telemetry/index.ts';
import type { HealthProbeConfig } from '../config/index.ts';
import type { Provider } from '../providers/index.ts';
import type { UpstreamHealth } from './upstream-health.ts';

interface Probed {
  provider: Provider;
  config: HealthProbeConfig;
  timer: NodeJS.Timeout | null;
  good: number;
  bad: number;
}

/** One probe: any 2xx within the timeout is healthy. */
async function probeOnce(provider: Provider, config: HealthProbeConfig): Promise<boolean> {
  try {
    const { statusCode, body } = await provider.dispatcher.request({
      path: provider.basePath + config.path,
      method: 'GET',
      headers: provider.upstreamHeaders('health-probe', {}),
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      signal: AbortSignal.timeout(config.timeoutMs),
    });
    await body.dump();
    return statusCode >= 200 && statusCode < 300;
  } catch {
    return false;
  }
}

/**
 * Active health checks of the providers that set `health`: each is probed every `intervalMs`, and
 * `unhealthyAfter` failed probes in a row mark it down (its targets are skipped) until `healthyAfter`
 * good ones mark it up. Built per runtime; a reload stops the old prober and starts a new one.
 */
export class HealthProber {
  private readonly probed: Probed[] = [];
  private readonly health: UpstreamHealth;
  private readonly logger: Logger;
  private stopped = false;

  constructor(providers: ReadonlyMap<string, Provider>, configs: ReadonlyMap<string, HealthProbeConfig>, health: UpstreamHealth, logger: Logger) {
    this.health = health;
    this.logger = logger;
    for (const [name, config] of configs) {
      const provider = providers.get(name);
      if (provider) this.probed.push({ provider, config, timer: null, good: 0, bad: 0 });
    }
  }

  start(): void {
    for (const probed of this.probed) void this.run(probed);
  }

  stop(): void {
    this.stopped = true;
    for (const probed of this.probed) if (probed.timer) clearTimeout(probed.timer);
  }

  private async run(probed: Probed): Promise<void> {
    if (this.stopped) return;
    const ok = await probeOnce(probed.provider, probed.config);
    if (this.stopped) return;
    this.observe(probed, ok);
    probed.timer = setTimeout(() => void this.run(probed), probed.config.intervalMs);
    probed.timer.unref();
  }

  private observe(probed: Probed, ok: boolean): void {
    const name = probed.provider.name;
    const before = this.health.probeOf(name);
    if (ok) {
      probed.good++;
      probed.bad = 0;
      if (before !== 'up' && probed.good >= probed.config.healthyAfter) this.mark(name, true, before);
    } else {
      probed.bad++;
      probed.good = 0;
      if (before !== 'down' && probed.bad >= probed.config.unhealthyAfter) this.mark(name, false, before);
    }
  }

  private mark(name: string, up: boolean, before: string): void {
    this.health.setProbe(name, up);
    if (up && before === 'unknown') return;
    this.logger.warn({ upstream: name, probe: up ? 'up' : 'down' }, up ? 'upstream probe recovered' : 'upstream probe failing');
  }
}
