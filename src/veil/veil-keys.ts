import type { Env } from '../config/index.ts';
import { loadMasterKeys } from '../credentials/master-key.ts';
import { deriveVeilKeys, type VeilKeys } from './reasoning-blob.ts';

/** One set per environment object, so config reloads (same environment) keep the same keys. */
const byEnv = new WeakMap<Env, VeilKeys>();

/**
 * The veil's keys, from `MOAT_MASTER_KEY` (the key that encrypts stored credentials, older versions
 * included) or, without one, a random key kept for the life of the process: blobs then open only in
 * this process (docs/veil.md).
 */
export function veilKeys(env: Env): VeilKeys {
  let keys = byEnv.get(env);
  if (!keys) {
    keys = deriveVeilKeys(loadMasterKeys(env));
    byEnv.set(env, keys);
  }
  return keys;
}
