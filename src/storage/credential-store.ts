import type { EpochMs } from './tenant-store.ts';

/**
 * A provider credential as stored: already encrypted (AES-GCM by the caller, base64 text fields).
 * `keyVersion` names the master key that encrypted it, so keys can be rotated.
 */
export interface StoredCredential {
  name: string;
  ciphertext: string;
  iv: string;
  authTag: string;
  keyVersion: number;
  createdAt: EpochMs;
  updatedAt: EpochMs;
}

export type CredentialInput = Omit<StoredCredential, 'createdAt' | 'updatedAt'>;

export interface CredentialStore {
  /** Creates or replaces the credential of that name; a replacement keeps its `createdAt`. */
  put(credential: CredentialInput): Promise<StoredCredential>;
  get(name: string): Promise<StoredCredential | undefined>;
  /** All credentials, by name. */
  list(): Promise<StoredCredential[]>;
  /** False when there was none of that name. */
  delete(name: string): Promise<boolean>;
}
