import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MasterKeyring } from './master-key.ts';
import { CredentialDecryptError, openCredential, sealCredential } from './seal-credential.ts';

const key1 = randomBytes(32);
const key2 = randomBytes(32);
const ringV1: MasterKeyring = { currentVersion: 1, keys: new Map([[1, key1]]) };
const SECRET = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

function decryptError(run: () => unknown): CredentialDecryptError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CredentialDecryptError);
    expect((error as Error).message).not.toContain(SECRET);
    return error as CredentialDecryptError;
  }
  throw new Error('expected a CredentialDecryptError');
}

/** Flips one bit of a base64 field. */
function flip(base64: string, byte = 0): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[byte]! ^= 0x01;
  return bytes.toString('base64');
}

describe('sealCredential / openCredential', () => {
  it('round-trips, with base64 fields, a 12-byte IV, a 16-byte tag and the current key version', () => {
    const sealed = sealCredential('openai', SECRET, ringV1);
    expect(sealed).toMatchObject({ name: 'openai', keyVersion: 1 });
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.authTag, 'base64')).toHaveLength(16);
    expect(Buffer.from(sealed.ciphertext, 'base64')).toHaveLength(Buffer.byteLength(SECRET));
    expect(openCredential(sealed, ringV1)).toBe(SECRET);
    expect(openCredential(sealCredential('unicode', 'clé-ключ-🔑', ringV1), ringV1)).toBe('clé-ключ-🔑');
  });

  it('holds no trace of the value in clear, and a fresh IV makes each sealing differ', () => {
    const a = sealCredential('openai', SECRET, ringV1);
    const b = sealCredential('openai', SECRET, ringV1);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    const text = JSON.stringify(a);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 16));
  });

  it('is deterministic for a given IV (the IV is the only randomness)', () => {
    const iv = Buffer.alloc(12, 7);
    expect(sealCredential('openai', SECRET, ringV1, iv)).toEqual(sealCredential('openai', SECRET, ringV1, iv));
    expect(() => sealCredential('openai', SECRET, ringV1, Buffer.alloc(16))).toThrow(/12 bytes/);
  });

  it('fails with the wrong master key', () => {
    const sealed = sealCredential('openai', SECRET, ringV1);
    const error = decryptError(() => openCredential(sealed, { currentVersion: 1, keys: new Map([[1, key2]]) }));
    expect(error.reason).toBe('not_authentic');
    expect(error.message).toMatch(/credential 'openai' does not decrypt with master key version 1/);
  });

  it('fails when the ciphertext, IV or tag was altered, or the tag truncated', () => {
    const sealed = sealCredential('openai', SECRET, ringV1);
    for (const altered of [
      { ...sealed, ciphertext: flip(sealed.ciphertext) },
      { ...sealed, ciphertext: flip(sealed.ciphertext, 10) },
      { ...sealed, iv: flip(sealed.iv) },
      { ...sealed, authTag: flip(sealed.authTag, 15) },
      { ...sealed, authTag: Buffer.from(sealed.authTag, 'base64').subarray(0, 12).toString('base64') },
      { ...sealed, iv: '' },
    ]) {
      expect(decryptError(() => openCredential(altered, ringV1)).reason).toBe('not_authentic');
    }
  });

  it('fails when the row is moved to another name (the name is the AAD)', () => {
    const sealed = sealCredential('openai', SECRET, ringV1);
    const error = decryptError(() => openCredential({ ...sealed, name: 'anthropic' }, ringV1));
    expect(error).toMatchObject({ reason: 'not_authentic', credential: 'anthropic' });
  });

  it('rotation: rows keep decrypting with their own version, new ones use the current key', () => {
    const old = sealCredential('openai', SECRET, ringV1);
    const ringV2: MasterKeyring = { currentVersion: 2, keys: new Map([[2, key2], [1, key1]]) };
    expect(openCredential(old, ringV2)).toBe(SECRET);
    const fresh = sealCredential('openai', 'sk-new', ringV2);
    expect(fresh.keyVersion).toBe(2);
    expect(openCredential(fresh, ringV2)).toBe('sk-new');

    // Once the old key is dropped, its rows name the variable that would bring it back.
    const onlyV2: MasterKeyring = { currentVersion: 2, keys: new Map([[2, key2]]) };
    const error = decryptError(() => openCredential(old, onlyV2));
    expect(error.reason).toBe('unknown_key_version');
    expect(error.message).toContain('set MOAT_MASTER_KEY_1');
    // A row claiming another version cannot be decrypted with the wrong key either.
    expect(decryptError(() => openCredential({ ...old, keyVersion: 2 }, ringV2)).reason).toBe('not_authentic');
  });
});
