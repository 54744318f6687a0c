import type { ApiKey, EpochMs, JsonObject, KeyClass, KeyStore } from '../storage/index.ts';

/** What authentication needs to know about a usable key. */
export interface RegisteredKey {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly tier: string;
  readonly class: KeyClass;
  /** Model names the key may use; null allows all. */
  readonly allowedModels: readonly string[] | null;
  readonly metadata: JsonObject | null;
  readonly expiresAt: EpochMs | null;
}

export interface KeyRegistryOptions {
  /** Default `Date.now`; only sets where the first change poll starts. */
  clock?: () => EpochMs;
  /** How often `start()` polls for changes; the bound on how long a revocation takes. Default 2000. */
  refreshIntervalMs?: number;
  /** How long an unknown hash is answered from memory. Default 5000. */
  negativeTtlMs?: number;
  /** Most unknown hashes remembered; the oldest go first. Default 10000. */
  maxNegativeEntries?: number;
  /**
   * Each poll reaches back this far before the newest change seen: it covers clock skew between
   * writers, transactions that commit after a later one, and lookups that raced a revocation.
   * Default 10000.
   */
  changeOverlapMs?: number;
  /** A failed background refresh; the cache keeps serving what it knows. */
  onRefreshError?: (error: unknown) => void;
}

/**
 * The gateway's in-memory view of stored keys. A hit never touches the database; a miss asks the
 * store once (concurrent misses for one hash share the query) and remembers the answer, a negative
 * one for a short while so a repeated bad key is not a query each time.
 */
export class KeyRegistry {
  readonly #store: KeyStore;
  readonly #refreshIntervalMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxNegativeEntries: number;
  readonly #changeOverlapMs: number;
  readonly #onRefreshError: (error: unknown) => void;
  readonly #known = new Map<string, RegisteredKey>();
  /** Hash → until when it is known to be unusable. */
  readonly #unknown = new Map<string, EpochMs>();
  readonly #pending = new Map<string, Promise<RegisteredKey | undefined>>();
  #since: EpochMs;
  #refreshing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(store: KeyStore, options: KeyRegistryOptions = {}) {
    this.#store = store;
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 2000;
    this.#negativeTtlMs = options.negativeTtlMs ?? 5000;
    this.#maxNegativeEntries = options.maxNegativeEntries ?? 10_000;
    this.#changeOverlapMs = options.changeOverlapMs ?? 10_000;
    this.#onRefreshError = options.onRefreshError ?? (() => {});
    this.#since = (options.clock ?? Date.now)() - this.#changeOverlapMs;
  }

  /** The usable key with this sha256 at `now`, or undefined (unknown, revoked or expired). */
  async lookup(keyHash: string, now: EpochMs): Promise<RegisteredKey | undefined> {
    const known = this.#known.get(keyHash);
    if (known !== undefined) return isExpired(known, now) ? undefined : known;
    const unknownUntil = this.#unknown.get(keyHash);
    if (unknownUntil !== undefined) {
      if (unknownUntil > now) return undefined;
      this.#unknown.delete(keyHash);
    }
    let pending = this.#pending.get(keyHash);
    if (pending === undefined) {
      pending = this.#fetch(keyHash, now).finally(() => this.#pending.delete(keyHash));
      this.#pending.set(keyHash, pending);
    }
    const key = await pending;
    return key === undefined || isExpired(key, now) ? undefined : key;
  }

  /** Applies keys created, revoked or rotated since the last poll; one poll at a time. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#pull().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  /** Polls every `refreshIntervalMs` until `stop()`; the timer does not keep the process alive. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.refresh().catch(this.#onRefreshError), this.#refreshIntervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Sizes of the caches, for metrics and tests. */
  get size(): { known: number; unknown: number } {
    return { known: this.#known.size, unknown: this.#unknown.size };
  }

  async #fetch(keyHash: string, now: EpochMs): Promise<RegisteredKey | undefined> {
    const stored = await this.#store.findByHash(keyHash, now);
    if (stored !== undefined) {
      const key = toRegistered(stored);
      this.#known.set(keyHash, key);
      return key;
    }
    this.#rememberUnknown(keyHash, now + this.#negativeTtlMs);
    return undefined;
  }

  #rememberUnknown(keyHash: string, until: EpochMs): void {
    this.#unknown.delete(keyHash);
    if (this.#unknown.size >= this.#maxNegativeEntries) this.#unknown.delete(this.#unknown.keys().next().value!);
    this.#unknown.set(keyHash, until);
  }

  async #pull(): Promise<void> {
    const changes = await this.#store.listChangedSince(this.#since);
    let newest = -Infinity;
    for (const key of changes) {
      if (key.revokedAt === null) {
        this.#unknown.delete(key.keyHash);
        this.#known.set(key.keyHash, toRegistered(key));
      } else {
        // A revocation is final, so a revoked hash can stay refused until the bound evicts it.
        this.#known.delete(key.keyHash);
        this.#rememberUnknown(key.keyHash, Infinity);
      }
      newest = Math.max(newest, key.createdAt, key.revokedAt ?? -Infinity);
    }
    this.#since = Math.max(this.#since, newest - this.#changeOverlapMs);
  }
}

function isExpired(key: RegisteredKey, now: EpochMs): boolean {
  return key.expiresAt !== null && key.expiresAt <= now;
}

function toRegistered(key: ApiKey): RegisteredKey {
  return Object.freeze({
    id: key.id,
    tenantId: key.tenantId,
    name: key.name,
    tier: key.tier,
    class: key.class,
    allowedModels: key.allowedModels === null ? null : Object.freeze([...key.allowedModels]),
    metadata: key.metadata,
    expiresAt: key.expiresAt,
  });
}
