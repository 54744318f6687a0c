import { randomBytes } from 'node:crypto';
import type { MoatConfig, SlaConfig } from '../config/index.ts';
import type { Logger } from '../telemetry/index.ts';
import { LocalSlices } from './local-slices.ts';
import type { SlaSample } from './outcome-class.ts';
import { RedisSlaStore } from './redis-sla-store.ts';
import { reportedUpstreams, upstreamReport, windowStart, type ReportOptions, type SlaReport, type UpstreamReport } from './sla-report.ts';
import { SloAlerter, type SloAlert } from './slo-alerter.ts';
import type { SloConfig } from './slo.ts';
import type { Slice } from './slice.ts';
import { sendAlert } from './send-alert.ts';

/** Longest wait at close for alerts still being delivered. */
const CLOSE_WAIT_MS = 2000;

export interface SlaTrackerOptions {
  /** `sla:` as at start: slices, windows and Redis are fixed for the process's life. */
  settings: SlaConfig;
  logger: Logger;
  /** The current config: SLOs and alert settings follow reloads. */
  config: () => Pick<MoatConfig, 'providers' | 'sla'>;
  clock?: () => number;
}

/**
 * The measured SLA (issue 6, decision 0019). `record` takes one sample per upstream attempt on the hot
 * path; reads sum the slices of every window, across replicas when `sla.redis.url` is set; SLOs are
 * judged every `evaluateMs`, and a breach is logged and posted to the webhook by one replica.
 */
export class SlaTracker {
  readonly replicaId = randomBytes(6).toString('hex');
  private readonly settings: SlaConfig;
  private readonly logger: Logger;
  private readonly config: SlaTrackerOptions['config'];
  private readonly clock: () => number;
  private readonly local: LocalSlices;
  private readonly store: RedisSlaStore | null;
  private readonly alerter = new SloAlerter();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private flushing: Promise<void> = Promise.resolve();
  private redisHealthy = true;
  private latestReport: SlaReport | null = null;
  private closed = false;
  private evaluating = false;
  /**
   * How far back slices are kept: the longest of the windows and of the SLO windows at start. A reload
   * that lengthens an SLO window beyond it is judged over this much (docs/sla.md).
   */
  private readonly retainMs: number;

  constructor(options: SlaTrackerOptions) {
    this.settings = options.settings;
    this.logger = options.logger;
    this.config = options.config;
    this.clock = options.clock ?? Date.now;
    const { sliceMs, redis } = options.settings;
    const sloWindows = Object.values(options.config().providers).map((p) => p.slo?.windowMs ?? 0);
    this.retainMs = Math.max(...options.settings.windowsMs, ...sloWindows);
    this.local = new LocalSlices(sliceMs, Math.ceil(this.retainMs / sliceMs) + 1, { shared: redis.url !== undefined });
    this.store =
      redis.url === undefined
        ? null
        : new RedisSlaStore({ url: redis.url, keyPrefix: redis.keyPrefix, sliceMs, retainMs: this.retainMs, commandTimeoutMs: redis.commandTimeoutMs, settleMs: 2 * redis.flushMs + 5000 });
  }

  /** One upstream attempt. Hot path: a couple of map lookups, a logarithm, a few increments. */
  record(upstream: string, sample: SlaSample): void {
    this.local.record(upstream, sample);
  }

  /** Starts the pushes to Redis and the SLO evaluations. */
  start(): this {
    const every = (ms: number, fn: () => Promise<unknown>): void => {
      const timer = setInterval(() => this.track(fn()), ms);
      timer.unref();
      this.timers.push(timer);
    };
    if (this.store !== null) every(this.settings.redis.flushMs, () => this.flush());
    every(this.settings.evaluateMs, () => this.evaluate());
    return this;
  }

  /**
   * The figures of every upstream and window, and SLO verdicts, as of now. An hour of a busy upstream's
   * slices takes a fraction of a millisecond to sum: the event loop gets a turn between upstreams.
   */
  async report(): Promise<SlaReport> {
    const now = this.clock();
    const { slices, source } = await this.readSlices(now);
    const options: ReportOptions = { now, source, sliceMs: this.settings.sliceMs, windowsMs: this.settings.windowsMs, slos: this.slos() };
    const upstreams: UpstreamReport[] = [];
    for (const upstream of reportedUpstreams(slices, options.slos)) {
      if (upstreams.length > 0) await new Promise((resolve) => setImmediate(resolve));
      upstreams.push(upstreamReport(upstream, slices.get(upstream) ?? [], options));
    }
    return { at: now, source, sliceMs: options.sliceMs, upstreams };
  }

  async upstreamReport(upstream: string): Promise<{ report: SlaReport; upstream: UpstreamReport | null }> {
    const report = await this.report();
    return { report, upstream: report.upstreams.find((u) => u.upstream === upstream) ?? null };
  }

  /** The report of the last evaluation, for the metrics. */
  get latest(): SlaReport | null {
    return this.latestReport;
  }

  /** Judges every SLO now: alerts on changes (sent by this replica when it leads, or alone). */
  async evaluate(): Promise<SloAlert[]> {
    // A slow Redis must not let two evaluations overlap: an older report stepped after a newer one would flap.
    if (this.evaluating) return [];
    this.evaluating = true;
    try {
      return await this.evaluateNow();
    } finally {
      this.evaluating = false;
    }
  }

  private async evaluateNow(): Promise<SloAlert[]> {
    const report = await this.report();
    this.latestReport = report;
    const now = report.at;
    const cooldownMs = this.config().sla.alerts.cooldownMs;
    const alerts: SloAlert[] = [];
    const keep = new Set<string>();
    for (const u of report.upstreams) {
      if (u.slo === null) continue;
      for (const o of u.slo.objectives) keep.add(`${u.upstream}\u0000${o.objective}`);
      alerts.push(...this.alerter.step(u.upstream, u.slo.objectives, u.slo.windowMs, now, cooldownMs));
    }
    this.alerter.retain(keep);
    // The lease is renewed at every evaluation, so the leader stays the same while it lives.
    const leading = await this.leads();
    if (alerts.length === 0 || !leading) return [];
    const { alerts: settings } = this.config().sla;
    for (const alert of alerts) this.track(sendAlert(alert, settings, this.logger, this.replicaId));
    return alerts;
  }

  /** Pushes what this replica recorded to Redis (queued behind a push in progress). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.pushOnce());
    return this.flushing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.store !== null) await this.flush();
    // Webhook retries may take a while: give them a moment, not the whole shutdown grace.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
    clearTimeout(timer);
    await this.store?.close();
  }

  private async pushOnce(): Promise<void> {
    if (this.store === null) return;
    const outbox = this.local.takeOutbox();
    if (outbox.size === 0) return;
    const now = this.clock();
    try {
      await this.store.push(outbox, now);
      this.redisUp();
    } catch (error) {
      this.local.restoreOutbox(outbox, now - this.retainMs);
      this.redisDown(error);
    }
  }

  private async readSlices(now: number): Promise<{ slices: Map<string, Slice[]>; source: SlaReport['source'] }> {
    const from = windowStart(now, this.retainMs, this.settings.sliceMs);
    const until = Math.floor(now / this.settings.sliceMs) * this.settings.sliceMs + this.settings.sliceMs;
    if (this.store !== null) {
      // This replica's own samples first, so a read right after a request counts it.
      await this.flush();
      try {
        const slices = await this.store.read(from, until, now);
        this.redisUp();
        return { slices, source: 'redis' };
      } catch (error) {
        this.redisDown(error);
      }
    }
    return { slices: this.local.slices(from, until), source: 'local' };
  }

  /** With Redis, one replica sends alerts (a lease); without it, or while it does not answer, each does. */
  private async leads(): Promise<boolean> {
    if (this.store === null) return true;
    try {
      return await this.store.lead(this.replicaId, 3 * this.settings.evaluateMs);
    } catch {
      return true;
    }
  }

  private slos(): Map<string, SloConfig> {
    const out = new Map<string, SloConfig>();
    for (const [name, provider] of Object.entries(this.config().providers)) if (provider.slo) out.set(name, provider.slo);
    return out;
  }

  private redisDown(error: unknown): void {
    if (!this.redisHealthy) return;
    this.redisHealthy = false;
    this.logger.warn({ err: error }, 'SLA store (Redis) unavailable: figures are this replica’s own until it answers');
  }

  private redisUp(): void {
    if (this.redisHealthy) return;
    this.redisHealthy = true;
    this.store?.forgetCache();
    this.logger.info('SLA store (Redis) answers again');
  }

  private track(promise: Promise<unknown>): void {
    this.pending.add(promise);
    promise.then(
      () => this.pending.delete(promise),
      (error: unknown) => {
        this.pending.delete(promise);
        this.logger.warn({ err: error }, 'SLA evaluation failed');
      },
    );
  }
}
