import type { MoatConfig } from '../config/index.ts';
import type { ProviderSecrets } from './load-provider-secrets.ts';

export interface SecretsRefresherOptions {
  /** The secrets `config` needs (loadProviderSecrets on the gateway's store and master keys). */
  load(config: MoatConfig): Promise<ProviderSecrets>;
  /** The config in use. */
  current(): MoatConfig;
  /** Swaps in a config and its secrets (`Gateway.reload`). */
  apply(config: MoatConfig, secrets: ProviderSecrets): void;
  /** What the gateway started with. */
  initial: ProviderSecrets;
  /** A refresh failed; providers keep the values they have. Called once per distinct failure. */
  onError(error: unknown): void;
  /** Credentials whose value changed and were applied: names only. */
  onChange?(names: string[]): void;
  /** Default 5000: how long a credential stored through another replica takes to reach this one. */
  intervalMs?: number;
}

/**
 * Keeps the providers' stored credentials current. A refresh (every few seconds, and after an admin
 * write on this replica) rebuilds the providers when a value changed; when a credential is gone or no
 * longer decrypts, it keeps the last good value and reports. A config reload goes through `reload`,
 * so the two never interleave: it loads the new config's secrets first and applies nothing if that
 * fails.
 */
export class SecretsRefresher {
  readonly #options: SecretsRefresherOptions;
  #applied: ProviderSecrets;
  #queue: Promise<void> = Promise.resolve();
  #lastError = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(options: SecretsRefresherOptions) {
    this.#options = options;
    this.#applied = options.initial;
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.refresh(), this.#options.intervalMs ?? 5000);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Applies `config` with its secrets; rejects (ConfigError for a missing credential) and keeps the old ones otherwise. */
  reload(config: MoatConfig): Promise<void> {
    return this.#serially(async () => {
      const secrets = await this.#options.load(config);
      this.#options.apply(config, secrets);
      this.#applied = secrets;
    });
  }

  /** Re-reads the credentials of the config in use; never rejects. */
  refresh(): Promise<void> {
    return this.#serially(async () => {
      const config = this.#options.current();
      try {
        const secrets = await this.#options.load(config);
        const changed = [...secrets].filter(([name, value]) => this.#applied.get(name) !== value).map(([name]) => name);
        if (changed.length > 0 || secrets.size !== this.#applied.size) {
          this.#options.apply(config, secrets);
          this.#applied = secrets;
          if (changed.length > 0) this.#options.onChange?.(changed);
        }
        this.#lastError = '';
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        if (text !== this.#lastError) this.#options.onError(error);
        this.#lastError = text;
      }
    });
  }

  #serially(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => {});
    return run;
  }
}
