import { hash } from 'node:crypto';

/** sha256 hex of a key: all Moat keeps of client and admin keys, in memory and in the database. */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}
