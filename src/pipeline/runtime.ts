import { ConfigError, type Env, type MoatConfig } from '../config/index.ts';
import { createPriceBook, type PriceBook } from '../pricing/index.ts';
import { createProviders, type Provider } from '../providers/index.ts';
import { hashApiKey } from '../keys/hash-api-key.ts';
import { loadDifficultyRouter } from '../difficulty/index.ts';
import { ModelTable, RouteTable, type DifficultyScorer } from '../routing/index.ts';
import { configNeedsTokenizer, preloadTokenCounter } from '../tokens/index.ts';
import { veilKeys, type VeilKeys } from '../veil/index.ts';

/**
 * Everything built from one version of the config. A request holds the runtime it started with, so a
 * reload swaps in a new one without touching requests in flight.
 */
export interface Runtime {
  readonly config: MoatConfig;
  /** sha256(key) hex → key name. Only hashes are kept in memory. */
  readonly keyHashes: ReadonlyMap<string, string>;
  readonly providers: ReadonlyMap<string, Provider>;
  readonly models: ModelTable;
  /** Client model names → targets: routes first, then the model table. */
  readonly routes: RouteTable;
  /** The learned router, loaded when a route has `strategy: difficulty`. */
  readonly difficulty: DifficultyScorer | null;
  /** The built-in price catalog with this config's `pricing` overrides. */
  readonly prices: PriceBook;
  /** Keys of the admin API, hashed, with their roles. */
  readonly adminKeys: ReadonlyArray<{ name: string; keyHash: string; role: 'admin' | 'read-only' }>;
  /** Seals and opens the reasoning veil's blobs (src/veil), from `MOAT_MASTER_KEY`; the same across reloads. */
  readonly veilKeys: VeilKeys;
}


function resolveKeyHashes(config: MoatConfig, env: Env): Map<string, string> {
  const hashes = new Map<string, string>();
  const problems: string[] = [];
  config.auth.keys.forEach((entry, i) => {
    if (entry.keySha256) hashes.set(entry.keySha256, entry.name);
    else if (entry.key) hashes.set(hashApiKey(entry.key), entry.name);
    else if (entry.keyEnv) {
      const value = env[entry.keyEnv];
      if (value) hashes.set(hashApiKey(value), entry.name);
      else problems.push(`auth.keys[${i}].keyEnv: environment variable ${entry.keyEnv} is not set`);
    }
  });
  if (problems.length > 0) throw new ConfigError('auth keys', problems);
  return hashes;
}

function resolveAdminKeys(config: MoatConfig, env: Env): Runtime['adminKeys'] {
  const problems: string[] = [];
  const keys = config.admin.keys.flatMap((entry, i) => {
    if (entry.keySha256) return [{ name: entry.name, keyHash: entry.keySha256, role: entry.role }];
    const value = entry.keyEnv ? env[entry.keyEnv] : undefined;
    if (value) return [{ name: entry.name, keyHash: hashApiKey(value), role: entry.role }];
    problems.push(`admin.keys[${i}].keyEnv: environment variable ${entry.keyEnv ?? ''} is not set`);
    return [];
  });
  if (problems.length > 0) throw new ConfigError('admin keys', problems);
  return keys;
}

/** `secrets`: stored provider credentials in clear, by name, for providers with `credential:` (src/credentials). */
export function buildRuntime(config: MoatConfig, env: Env, secrets: ReadonlyMap<string, string> = new Map()): Runtime {
  const keyHashes = resolveKeyHashes(config, env);
  const adminKeys = resolveAdminKeys(config, env);
  if (configNeedsTokenizer(config)) preloadTokenCounter();
  const models = new ModelTable(config.models);
  return {
    config,
    keyHashes,
    providers: createProviders(config.providers, config.timeouts, env, secrets),
    models,
    routes: new RouteTable(config.routes, models),
    // Parsed once per process (the artifact is shipped in the repo), only when a route uses it.
    difficulty: config.routes.some((route) => route.strategy === 'difficulty') ? loadDifficultyRouter() : null,
    prices: createPriceBook(config.pricing),
    adminKeys,
    veilKeys: veilKeys(env),
  };
}

export async function closeRuntime(runtime: Runtime): Promise<void> {
  await Promise.all([...runtime.providers.values()].map((p) => p.close()));
}
