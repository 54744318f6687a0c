import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CredentialInput, StoredCredential } from '../storage/index.ts';
import type { MasterKeyring } from './master-key.ts';

const ALGORITHM = 'aes-256-gcm';
/** 96-bit nonces, as NIST SP 800-38D recommends for GCM; a fresh random one per encryption. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a stored credential did not decrypt. The message names the credential and the key version, never a value. */
export class CredentialDecryptError extends Error {
  readonly credential: string;
  readonly reason: 'unknown_key_version' | 'not_authentic';

  constructor(credential: string, reason: CredentialDecryptError['reason'], message: string) {
    super(message);
    this.name = 'CredentialDecryptError';
    this.credential = credential;
    this.reason = reason;
  }
}

/**
 * The credential's name is the additional authenticated data: a ciphertext copied onto another name's
 * row fails to decrypt instead of handing one provider's key to another.
 */
function associatedData(name: string): Buffer {
  return Buffer.from(`moat:provider-credential:${name}`, 'utf8');
}

/** Encrypts `value` for the row `name` with the current master key (AES-256-GCM). */
export function sealCredential(name: string, value: string, keyring: MasterKeyring, iv: Buffer = randomBytes(IV_BYTES)): CredentialInput {
  const key = keyring.keys.get(keyring.currentVersion);
  if (key === undefined) throw new Error(`master key version ${keyring.currentVersion} is not in the keyring`);
  if (iv.length !== IV_BYTES) throw new Error(`the IV must be ${IV_BYTES} bytes`);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(name));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return {
    name,
    ciphertext: ciphertext.toString('base64'),
    iv: iv.toString('base64'),
    authTag: cipher.getAuthTag().toString('base64'),
    keyVersion: keyring.currentVersion,
  };
}

/** The value in clear; CredentialDecryptError for an unknown key version, a wrong key, or an altered row. */
export function openCredential(stored: Pick<StoredCredential, 'name' | 'ciphertext' | 'iv' | 'authTag' | 'keyVersion'>, keyring: MasterKeyring): string {
  const key = keyring.keys.get(stored.keyVersion);
  if (key === undefined) {
    throw new CredentialDecryptError(
      stored.name,
      'unknown_key_version',
      `credential '${stored.name}' was encrypted with master key version ${stored.keyVersion}, which is not configured: set MOAT_MASTER_KEY_${stored.keyVersion}`,
    );
  }
  const iv = Buffer.from(stored.iv, 'base64');
  const tag = Buffer.from(stored.authTag, 'base64');
  const notAuthentic = () =>
    new CredentialDecryptError(stored.name, 'not_authentic', `credential '${stored.name}' does not decrypt with master key version ${stored.keyVersion}: the key is wrong, or the row was altered or copied from another name`);
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw notAuthentic();
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(stored.name));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(stored.ciphertext, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw notAuthentic();
  }
}
