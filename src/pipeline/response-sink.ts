import type { Usage } from '../canonical/index.ts';
import type { MoatError } from '../errors/index.ts';
import type { BillableUsage } from '../metering/index.ts';

/** A whole answer for a client, ready to send. */
export interface EncodedBody {
  status: number;
  contentType: string;
  body: Buffer | string;
}

/**
 * What the relay does with a successful upstream answer: pass its bytes on (passthrough) or translate
 * them into the client's API. The relay owns the HTTP mechanics; a sink owns the content.
 */
export interface ResponseSink {
  /** Streamed upstream bytes → what to write to the client now (null: nothing yet). */
  streamChunk(bytes: Buffer): Buffer | string | null;
  /** The upstream stream ended normally → the client stream's last bytes. */
  streamEnd(): Buffer | string | null;
  /** An error the stream itself reported (e.g. an error event), once seen; the relay ends the stream with it. */
  readonly streamError: MoatError | null;
  /**
   * Called once the upstream's answer is whole (`body`: the non-streamed body; null for a stream),
   * before `streamEnd` or `body`: a promise when a response filter still has work to finish (the
   * veil's summary), which the relay waits for; null otherwise. Absent: never any.
   */
  settle?(body: Buffer | null): Promise<void> | null;
  /** A whole non-streamed upstream body (status < 400) → the client's answer, or a typed error. */
  body(bytes: Buffer, status: number, contentType: string): EncodedBody | MoatError;
  /** The usage the upstream reported so far, possibly partial. */
  readonly usage: Usage | null;
  readonly sawFirstToken: boolean;
  /**
   * What the request is billed for, from whatever the answer got to (ended, failed or abandoned): the
   * upstream's usage, or a count of what was generated (src/metering/billable-usage.ts). Called once,
   * by the meter; the tokenizer runs only here, and only when the upstream's usage is missing.
   */
  meteredUsage(): BillableUsage;
}
