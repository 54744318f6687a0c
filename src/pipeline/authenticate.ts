import type { Socket } from 'node:net';
import { MoatError } from '../errors/index.ts';
import type { Call, CallerKey } from './call.ts';
import { hashApiKey } from '../keys/hash-api-key.ts';

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
 * The last key each connection presented and its hash. A keep-alive client sends the same key on every
 * request, and a hash is the costliest step before dispatch when Moat has been idle (about 50 µs cold);
 * the key lives no longer than the connection that carried it. Only the hash is reused: the key is still
 * looked up on every request, so a revoked key stops at once.
 */
const lastKeyOf = new WeakMap<Socket, { key: string; hash: string }>();

function hashFor(call: Call, key: string): string {
  const socket = call.req.socket;
  const last = lastKeyOf.get(socket);
  if (last !== undefined && last.key === key) return last.hash;
  const hash = hashApiKey(key);
  lastKeyOf.set(socket, { key, hash });
  return hash;
}

/** Keys from config belong to the `default` tenant; the ledger names them `config:<name>`. */
function configKey(name: string): CallerKey {
  return { id: `config:${name}`, tenantId: 'default', name, tier: 'standard', class: 'internal', allowedModels: null };
}

/** Who a keyless loopback client is when no key exists anywhere (decision 0006). */
export const ANONYMOUS_KEY: CallerKey = { id: 'anonymous', tenantId: 'default', name: 'anonymous', tier: 'standard', class: 'internal', allowedModels: null };

/**
 * Stage 1. A key is checked against config keys, then stored keys (src/keys: an in-memory registry,
 * so a hit costs no database query). With no keys anywhere Moat listens on loopback only (config
 * refuses otherwise) and lets every local client in; `moat serve` warns about it at start.
 */
export async function authenticate(call: Call): Promise<void> {
  const hashes = call.runtime.keyHashes;
  const stored = call.keys;
  if (hashes.size === 0 && (stored === null || stored.empty)) {
    // No keys anywhere: whatever the client sends (SDKs insist on some key) is not checked.
    call.key = ANONYMOUS_KEY;
    return;
  }
  const key = presentedKey(call);
  if (key === null) {
    throw new MoatError('missing_api_key', 'No API key: send `Authorization: Bearer <key>` or `x-api-key: <key>`.');
  }
  const hash = hashFor(call, key);
  const name = hashes.get(hash);
  if (name !== undefined) {
    call.keyName = name;
    call.key = configKey(name);
    return;
  }
  const found = stored ? await stored.lookup(hash, Date.now()) : undefined;
  if (found === undefined) throw new MoatError('invalid_api_key', 'The API key is not valid.');
  call.keyName = found.name;
  call.key = found;
}
