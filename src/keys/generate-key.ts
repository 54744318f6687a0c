import { randomBytes } from 'node:crypto';
import { hashApiKey } from './hash-api-key.ts';

export const API_KEY_PREFIX = 'moat_sk_';
const KEY_PREFIX_LENGTH = 12;
const RANDOM_BYTES = 24;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// 62^33 > 2^192: every 24-byte value fits, so the encoding is a bijection and keys stay uniform.
const BASE62_LENGTH = 33;

export interface GeneratedApiKey {
  /** The key in clear: shown once, never stored. */
  key: string;
  /** sha256 hex, what storage keeps. */
  keyHash: string;
  /** The first 12 characters, to tell keys apart in listings. */
  keyPrefix: string;
}

/** A new client key `moat_sk_<33 base62 chars>` (192 random bits); `random` is injectable for tests. */
export function generateApiKey(random: (size: number) => Buffer = randomBytes): GeneratedApiKey {
  const key = API_KEY_PREFIX + toBase62(random(RANDOM_BYTES));
  return { key, keyHash: hashApiKey(key), keyPrefix: key.slice(0, KEY_PREFIX_LENGTH) };
}

function toBase62(bytes: Buffer): string {
  let value = BigInt(`0x${bytes.toString('hex') || '0'}`);
  let out = '';
  while (value > 0n) {
    out = BASE62[Number(value % 62n)]! + out;
    value /= 62n;
  }
  return out.padStart(BASE62_LENGTH, '0');
}
