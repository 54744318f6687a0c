import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { connectFailFast } from '../redis/index.ts';
import type { Outbox } from './local-slices.ts';
import { LEAD_SCRIPT, PUSH_SCRIPT } from './redis-scripts.ts';
import { sliceFields, sliceFromFields } from './slice-fields.ts';
import type { Slice } from './slice.ts';

export interface RedisSlaStoreOptions {
  url: string;
  /** Before every key; `v1:` follows it, for the bucket layout's version. */
  keyPrefix: string;
  sliceMs: number;
  /** How long a slice is kept: the longest window, plus a margin. */
  retainMs: number;
  commandTimeoutMs: number;
  /** A slice this long past its end is complete on every replica (pushes every flushMs, clocks a little apart). */
  settleMs: number;
  onConnectionError?: (error: Error) => void;
}

interface Script {
  source: string;
  sha: string;
}
const script = (source: string): Script => ({ source, sha: createHash('sha1').update(source).digest('hex') });
const PUSH = script(PUSH_SCRIPT);
const LEAD = script(LEAD_SCRIPT);

/** Settled slices read from Redis are read again after this long (a replica cut off may push late). */
const CACHE_MS = 60_000;

/**
 * Every replica's slices in one Redis (decision 0019): each pushes its deltas with HINCRBY, one script
 * call per push, and reads the sum of all. Slices that can no longer change are cached, so a read
 * fetches only the last few slices of each upstream.
 */
export class RedisSlaStore {
  private readonly redis: Redis;
  private readonly options: RedisSlaStoreOptions;
  private readonly prefix: string;
  /** Settled slices by key; null: no replica recorded anything in it. */
  private readonly cache = new Map<string, { start: number; slice: Slice | null; fetchedAt: number }>();

  constructor(options: RedisSlaStoreOptions) {
    this.options = options;
    this.prefix = `${options.keyPrefix}v1:`;
    this.redis = connectFailFast(options.url, options.commandTimeoutMs, 'moat-sla', options.onConnectionError ?? (() => {}));
  }

  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  /** Adds the outbox to the shared slices. Throws when Redis does not take it (the caller keeps it for the next push). */
  async push(outbox: Outbox, now: number): Promise<void> {
    const keys = [`${this.prefix}upstreams`];
    // A slice outlives the longest window by one slice and a minute, whatever the clock skew.
    const args: (string | number)[] = [this.options.retainMs + this.options.sliceMs + 60_000, now];
    for (const [upstream, slices] of outbox) {
      for (const [start, slice] of slices) {
        const fields = sliceFields(slice);
        if (fields.length === 0) continue;
        keys.push(this.sliceKey(upstream, start));
        args.push(upstream, fields.length / 2, ...fields);
      }
    }
    if (keys.length === 1) return;
    await this.run(PUSH, keys, args);
  }

  /** Every upstream's summed slices starting in [from, until), all replicas together. */
  async read(from: number, until: number, now: number): Promise<Map<string, Slice[]>> {
    this.ensureConnected();
    const upstreams = await this.redis.zrangebyscore(`${this.prefix}upstreams`, now - this.options.retainMs, '+inf');
    const { sliceMs, settleMs } = this.options;
    const out = new Map<string, Slice[]>();
    const missing: { upstream: string; key: string; start: number }[] = [];
    for (const upstream of upstreams) {
      out.set(upstream, []);
      for (let start = from; start < until; start += sliceMs) {
        const key = this.sliceKey(upstream, start);
        const hit = this.cache.get(key);
        if (hit !== undefined && now - hit.fetchedAt < CACHE_MS) {
          if (hit.slice !== null) out.get(upstream)!.push(hit.slice);
        } else missing.push({ upstream, key, start });
      }
    }
    if (missing.length > 0) {
      const pipeline = this.redis.pipeline();
      for (const { key } of missing) pipeline.hgetall(key);
      const replies = (await pipeline.exec()) ?? [];
      missing.forEach(({ upstream, key, start }, i) => {
        const [error, fields] = replies[i] ?? [new Error('no reply')];
        if (error) throw error;
        const record = fields as Record<string, string>;
        const slice = Object.keys(record).length === 0 ? null : sliceFromFields(start, record);
        if (start + sliceMs + settleMs < now) this.cache.set(key, { start, slice, fetchedAt: now });
        if (slice !== null) out.get(upstream)!.push(slice);
      });
    }
    for (const [key, entry] of this.cache) if (entry.start < now - this.options.retainMs) this.cache.delete(key);
    for (const slices of out.values()) slices.sort((a, b) => a.start - b.start);
    return out;
  }

  /** Takes or renews the alerting lease; true when this replica holds it. */
  async lead(replicaId: string, ttlMs: number): Promise<boolean> {
    return (await this.run(LEAD, [`${this.prefix}leader`], [replicaId, ttlMs])) === 1;
  }

  /** Forget cached slices (after an outage: replicas that were cut off push late). */
  forgetCache(): void {
    this.cache.clear();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => {});
    this.redis.disconnect();
  }

  private sliceKey(upstream: string, start: number): string {
    return `${this.prefix}s:${upstream}:${start}`;
  }

  private ensureConnected(): void {
    if (!this.connected) throw new Error(`Redis is not connected (${this.redis.status})`);
  }

  private async run(lua: Script, keys: string[], args: (string | number)[]): Promise<unknown> {
    this.ensureConnected();
    try {
      return await this.redis.evalsha(lua.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(lua.source, keys.length, ...keys, ...args);
    }
  }
}
