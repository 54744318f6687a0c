import { ConfigError, type Env } from '../config/index.ts';

/** The environment variable holding the current master key. */
export const MASTER_KEY_ENV = 'MOAT_MASTER_KEY';
const VERSION_ENV = 'MOAT_MASTER_KEY_VERSION';
/** `MOAT_MASTER_KEY_<version>`: an older key, kept to decrypt what it encrypted. */
const OLDER_KEY_ENV = /^MOAT_MASTER_KEY_(\d+)$/;
const KEY_BYTES = 32;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * The master keys from the environment: the current one, which encrypts, and older ones, which only
 * decrypt rows stored under their version until those are stored again.
 */
export interface MasterKeyring {
  /** The version new credentials are encrypted with (`MOAT_MASTER_KEY_VERSION`, default 1). */
  readonly currentVersion: number;
  /** Every configured key by version, the current one included. */
  readonly keys: ReadonlyMap<number, Buffer>;
}

/** A 32-byte key from 64 hex digits or base64 (standard or URL-safe); undefined for anything else. */
export function parseMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64_KEY.test(trimmed)) return undefined;
  // Node's base64 decoder reads the URL-safe alphabet too.
  const key = Buffer.from(trimmed, 'base64');
  return key.length === KEY_BYTES ? key : undefined;
}

/**
 * `MOAT_MASTER_KEY` (version `MOAT_MASTER_KEY_VERSION`, default 1) and any `MOAT_MASTER_KEY_<n>`; null
 * when no master key is set. A malformed key is a ConfigError naming the variable, never its value.
 */
export function loadMasterKeys(env: Env): MasterKeyring | null {
  const problems: string[] = [];
  const olderNames = Object.keys(env).filter((name) => OLDER_KEY_ENV.test(name) && env[name] !== undefined && env[name] !== '');
  const current = env[MASTER_KEY_ENV];
  if (current === undefined || current === '') {
    const strays = [...olderNames, ...(env[VERSION_ENV] ? [VERSION_ENV] : [])];
    if (strays.length === 0) return null;
    throw new ConfigError('environment', [`${strays.join(', ')} ${strays.length > 1 ? 'are' : 'is'} set but ${MASTER_KEY_ENV} is not: ${MASTER_KEY_ENV} holds the current master key`]);
  }

  const versionText = env[VERSION_ENV] ?? '1';
  const currentVersion = /^[1-9][0-9]{0,8}$/.test(versionText) ? Number(versionText) : 0;
  if (currentVersion === 0) problems.push(`${VERSION_ENV}: must be a whole number from 1, e.g. 2 after the first rotation`);
  const keys = new Map<number, Buffer>();
  const currentKey = parseMasterKey(current);
  if (currentKey === undefined) problems.push(malformed(MASTER_KEY_ENV));
  else keys.set(currentVersion, currentKey);

  for (const name of olderNames) {
    const version = Number(OLDER_KEY_ENV.exec(name)![1]);
    const key = parseMasterKey(env[name]!);
    if (version < 1) problems.push(`${name}: versions start at 1`);
    else if (key === undefined) problems.push(malformed(name));
    else if (version === currentVersion) {
      if (currentKey !== undefined && !key.equals(currentKey)) problems.push(`${name} and ${MASTER_KEY_ENV} are both version ${version} but differ: keep one key per version`);
    } else keys.set(version, key);
  }
  if (problems.length > 0) throw new ConfigError('environment', problems);
  return { currentVersion, keys };
}

function malformed(name: string): string {
  return `${name}: must be a 32-byte key, as 64 hex digits or base64 (generate one with \`openssl rand -base64 32\`)`;
}
