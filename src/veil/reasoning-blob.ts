import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { ReasoningPart, RedactedReasoningPart } from '../canonical/index.ts';

/**
 * Reasoning handed to a client under the veil as an opaque blob (Anthropic `redacted_thinking.data`,
 * OpenAI `reasoning_details[].data`) so a tool loop can send it back: AES-256-GCM under a key derived
 * from Moat's master key, with the tenant id as additional data — a blob moved to another tenant, or
 * altered by one bit, does not open.
 */
export const BLOB_PREFIX = 'moatveil1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type VeiledPart = ReasoningPart | RedactedReasoningPart;

/** The veil's keys by master-key version; `current` seals, every version opens. */
export interface VeilKeys {
  readonly current: number;
  readonly blobKeys: ReadonlyMap<number, Buffer>;
  /** Keys the per-tenant prompt-cache salt (vLLM `cache_salt`). */
  readonly saltKey: Buffer;
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
}

/**
 * From the master keyring (`MOAT_MASTER_KEY`, versions included). Without one, a random key for this
 * process: blobs then stop opening after a restart or on another replica (docs/veil.md).
 */
export function deriveVeilKeys(master: { currentVersion: number; keys: ReadonlyMap<number, Buffer> } | null): VeilKeys {
  if (master === null) {
    const key = randomBytes(32);
    return { current: 0, blobKeys: new Map([[0, derive(key, 'moat:reasoning-veil:v1')]]), saltKey: derive(key, 'moat:cache-salt:v1') };
  }
  const blobKeys = new Map<number, Buffer>();
  for (const [version, key] of master.keys) blobKeys.set(version, derive(key, 'moat:reasoning-veil:v1'));
  return { current: master.currentVersion, blobKeys, saltKey: derive(master.keys.get(master.currentVersion)!, 'moat:cache-salt:v1') };
}

function aad(tenantId: string): Buffer {
  return Buffer.from(`moat:reasoning-veil:${tenantId}`, 'utf8');
}

/** Seals one reasoning part for `tenantId`. `iv` is injectable for tests; fresh random otherwise. */
export function sealReasoning(part: VeiledPart, tenantId: string, keys: VeilKeys, iv: Buffer = randomBytes(IV_BYTES)): string {
  const cipher = createCipheriv('aes-256-gcm', keys.blobKeys.get(keys.current)!, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(tenantId));
  const payload = part.type === 'reasoning' ? { t: part.text, ...(part.signature !== undefined ? { s: part.signature } : {}) } : { r: part.data };
  const sealed = Buffer.concat([iv, cipher.update(JSON.stringify(payload), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${BLOB_PREFIX}${keys.current}.${sealed.toString('base64url')}`;
}

export function isVeilBlob(data: string): boolean {
  return data.startsWith(BLOB_PREFIX);
}

/** Why a blob did not open; never says more than that (no oracle beyond yes/no). */
export class VeilBlobError extends Error {}

/** The part a blob sealed, if it was sealed for this tenant with a key this gateway has. */
export function openReasoning(blob: string, tenantId: string, keys: VeilKeys): VeiledPart {
  const rest = blob.slice(BLOB_PREFIX.length);
  const dot = rest.indexOf('.');
  const version = Number(rest.slice(0, dot));
  const key = keys.blobKeys.get(version);
  const sealed = Buffer.from(rest.slice(dot + 1), 'base64url');
  if (dot < 1 || key === undefined || sealed.length < IV_BYTES + TAG_BYTES + 2) throw new VeilBlobError('not a reasoning blob of this gateway');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aad(tenantId));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  let text: string;
  try {
    text = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new VeilBlobError('the blob was altered, or sealed for another tenant');
  }
  const payload = JSON.parse(text) as { t?: string; s?: string; r?: string };
  if (typeof payload.r === 'string') return { type: 'redacted-reasoning', data: payload.r };
  return payload.s !== undefined ? { type: 'reasoning', text: payload.t ?? '', signature: payload.s } : { type: 'reasoning', text: payload.t ?? '' };
}

/** vLLM's `cache_salt` for a tenant: stable for a master key, unguessable without it. */
export function tenantCacheSalt(tenantId: string, keys: VeilKeys): string {
  return createHmac('sha256', keys.saltKey).update(tenantId).digest('base64url');
}
