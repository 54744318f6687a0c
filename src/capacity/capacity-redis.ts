import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CapacityRedisConfig } from '../config/index.ts';
import { capacityScripts, type CapacityScripts } from './redis-scripts.ts';

export interface RedisHealthEvents {
  /** Every failed Redis operation; `first` is true on the first one after a healthy spell. */
  failed(error: unknown, first: boolean): void;
  recovered(): void;
}

/**
 * The Redis connections behind every shared slot pool of one gateway: one for commands (each bounded
 * by `commandTimeoutMs`), one subscribed to the channels on which replicas announce freed slots.
 */
export class CapacityRedis {
  readonly settings: CapacityRedisConfig;
  /** Tells this replica's slot holders and waiter registrations apart from the others'. */
  readonly replicaId = randomBytes(6).toString('hex');
  readonly scripts: CapacityScripts;
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, () => void>();
  private readonly events: RedisHealthEvents;
  private healthy = true;

  constructor(settings: CapacityRedisConfig, events: RedisHealthEvents) {
    this.settings = settings;
    this.events = events;
    // Reconnect every 100 ms–1 s; commands wait at most `commandTimeoutMs`, so a request never hangs on Redis.
    const retryStrategy = (times: number): number => Math.min(times * 100, 1000);
    this.client = new Redis(settings.url, { commandTimeout: settings.commandTimeoutMs, maxRetriesPerRequest: 1, retryStrategy, connectionName: `moat-capacity-${this.replicaId}` });
    this.subscriber = new Redis(settings.url, { retryStrategy, connectionName: `moat-capacity-sub-${this.replicaId}` });
    this.scripts = capacityScripts(this.client);
    this.client.on('error', (error: unknown) => this.failed(error));
    this.subscriber.on('error', () => {});
    this.subscriber.on('message', (channel: string) => this.channels.get(channel)?.());
    this.subscriber.on('ready', () => {
      if (this.channels.size > 0) this.subscriber.subscribe(...this.channels.keys()).catch(() => {});
    });
  }

  /** The connection is known to be broken: fail at once instead of waiting `commandTimeoutMs`. */
  get down(): boolean {
    const { status } = this.client;
    return status === 'reconnecting' || status === 'close' || status === 'end';
  }

  failed(error: unknown): void {
    const first = this.healthy;
    this.healthy = false;
    this.events.failed(error, first);
  }

  succeeded(): void {
    if (this.healthy) return;
    this.healthy = true;
    this.events.recovered();
  }

  /** Drops this replica's waiter registration (its queue emptied). */
  forgetWaiter(waitersKey: string): void {
    this.client.hdel(waitersKey, this.replicaId).catch(() => {});
  }

  subscribe(channel: string, onMessage: () => void): void {
    this.channels.set(channel, onMessage);
    if (this.subscriber.status === 'ready') this.subscriber.subscribe(channel).catch(() => {});
  }

  unsubscribe(channel: string): void {
    if (!this.channels.delete(channel)) return;
    if (this.subscriber.status === 'ready') this.subscriber.unsubscribe(channel).catch(() => {});
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.allSettled([this.client.quit(), this.subscriber.quit()]);
    this.client.disconnect();
    this.subscriber.disconnect();
  }
}
