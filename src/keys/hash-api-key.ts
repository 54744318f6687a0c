import { hash } from 'node:crypto';

/**
 * sha256 hex of a key: all Moat stores of client and admin keys, and all it keeps in memory beyond the
 * life of the connection that presented a key (src/pipeline/authenticate.ts).
 */
export function hashApiKey(key: string): string {
  return hash('sha256', key, 'hex');
}
