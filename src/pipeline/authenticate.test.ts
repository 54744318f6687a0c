import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MoatError } from '../errors/index.ts';
import { hashApiKey } from '../keys/hash-api-key.ts';
import { authenticate } from './authenticate.ts';
import type { Call, CallerKey, KeyLookup } from './call.ts';
import type { Runtime } from './runtime.ts';

const STORED = 'sk-moat-stored-key-000000000001';
const OTHER = 'sk-moat-stored-key-000000000002';

/** Stored keys by hash, with a switch to revoke one and a log of the hashes asked for. */
class Keys implements KeyLookup {
  readonly empty = false;
  readonly asked: string[] = [];
  readonly revoked = new Set<string>();
  private readonly byHash = new Map<string, CallerKey>();

  constructor(...keys: string[]) {
    for (const [i, key] of keys.entries()) {
      this.byHash.set(hashApiKey(key), { id: `key_${i}`, tenantId: 't', name: `k${i}`, tier: 'standard', class: 'internal', allowedModels: null });
    }
  }

  lookup(keyHash: string): Promise<CallerKey | undefined> {
    this.asked.push(keyHash);
    return Promise.resolve(this.revoked.has(keyHash) ? undefined : this.byHash.get(keyHash));
  }
}

/** Just what authenticate reads of a call: headers, the socket, config key hashes and stored keys. */
function callOn(socket: Socket, key: string, keys: Keys): Call {
  const req = { headers: { authorization: `Bearer ${key}` }, socket } as unknown as IncomingMessage;
  return { req, runtime: { keyHashes: new Map() } as unknown as Runtime, keys, key: null, keyName: null } as unknown as Call;
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (e: unknown) => (e instanceof MoatError ? e.code : e));

describe('authenticate', () => {
  it('looks every request up again on a keep-alive connection, so a revoked key stops at once', async () => {
    const keys = new Keys(STORED);
    const socket = {} as Socket;
    const first = callOn(socket, STORED, keys);
    await authenticate(first);
    expect(first.key?.id).toBe('key_0');

    keys.revoked.add(hashApiKey(STORED));
    expect(await refusal(authenticate(callOn(socket, STORED, keys)))).toBe('invalid_api_key');
    expect(keys.asked).toEqual([hashApiKey(STORED), hashApiKey(STORED)]);
  });

  it('hashes a different key on the same connection, and keys on other connections apart', async () => {
    const keys = new Keys(STORED, OTHER);
    const socket = {} as Socket;
    await authenticate(callOn(socket, STORED, keys));
    const switched = callOn(socket, OTHER, keys);
    await authenticate(switched);
    expect(switched.key?.id).toBe('key_1');
    expect(await refusal(authenticate(callOn(socket, `${STORED}x`, keys)))).toBe('invalid_api_key');
    const elsewhere = callOn({} as Socket, STORED, keys);
    await authenticate(elsewhere);
    expect(elsewhere.key?.id).toBe('key_0');
    expect(keys.asked).toEqual([hashApiKey(STORED), hashApiKey(OTHER), hashApiKey(`${STORED}x`), hashApiKey(STORED)]);
  });
});
