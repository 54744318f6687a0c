import type { CanonicalRequest } from '../canonical/index.ts';
import { isVeilBlob, openReasoning, VeilBlobError, type VeilKeys } from './reasoning-blob.ts';

export class ForeignBlobError extends Error {
  /** Where the blob was, `messages[i]`. */
  readonly messageIndex: number;
  constructor(messageIndex: number, cause: VeilBlobError) {
    super(cause.message);
    this.messageIndex = messageIndex;
  }
}

/**
 * Replaces, in place, every sealed reasoning blob a client sent back (in an assistant turn of the
 * history) with the part it sealed — Anthropic thinking with its signature, or redacted thinking — so
 * the upstream receives exactly what it produced. Returns how many were restored; throws
 * ForeignBlobError for a blob that was altered or sealed for another tenant.
 */
export function restoreReasoning(request: CanonicalRequest, tenantId: string, keys: VeilKeys): number {
  let restored = 0;
  request.messages.forEach((message, i) => {
    if (!message.parts.some((p) => p.type === 'redacted-reasoning' && isVeilBlob(p.data))) return;
    message.parts = message.parts.map((part) => {
      if (part.type !== 'redacted-reasoning' || !isVeilBlob(part.data)) return part;
      try {
        restored++;
        return openReasoning(part.data, tenantId, keys);
      } catch (error) {
        if (error instanceof VeilBlobError) throw new ForeignBlobError(i, error);
        throw error;
      }
    });
  });
  return restored;
}
