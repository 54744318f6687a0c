import { MoatError } from '../errors/index.ts';
import type { Call } from './call.ts';
import { hashApiKey } from './runtime.ts';

/** The client's key, from `Authorization: Bearer …` (OpenAI clients) or `x-api-key` (Anthropic clients). */
function presentedKey(call: Call): string | null {
  const authorization = call.req.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    return match ? match[1]!.trim() : null;
  }
  const header = call.req.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header : null;
}

/**
 * Stage 1. With no keys configured, Moat listens on loopback only (config refuses otherwise) and lets
 * every local client in; `moat serve` warns about it at start.
 */
export function authenticate(call: Call): void {
  const hashes = call.runtime.keyHashes;
  if (hashes.size === 0) return;
  const key = presentedKey(call);
  if (key === null) {
    throw new MoatError('missing_api_key', 'No API key: send `Authorization: Bearer <key>` or `x-api-key: <key>`.');
  }
  const name = hashes.get(hashApiKey(key));
  if (name === undefined) throw new MoatError('invalid_api_key', 'The API key is not valid.');
  call.keyName = name;
}
