import type { ResponseObserver } from '../providers/index.ts';
import { WholeEventBuffer } from '../streaming/index.ts';
import type { EncodedBody, ResponseSink } from './response-sink.ts';

/** The client speaks the upstream's API: its bytes go back unchanged, in whole SSE events. */
export class PassthroughSink implements ResponseSink {
  private readonly observer: ResponseObserver;
  /** What the client may see of whole events Moat observed in full (e.g. without a usage chunk it did not ask for). */
  private readonly clientView: ((events: Buffer) => Buffer) | null;
  private readonly events = new WholeEventBuffer();
  readonly streamError = null;

  constructor(observer: ResponseObserver, clientView?: (events: Buffer) => Buffer) {
    this.observer = observer;
    this.clientView = clientView ?? null;
  }

  private view(bytes: Buffer | null): Buffer | null {
    if (bytes === null) return null;
    this.observer.chunk(bytes);
    if (!this.clientView) return bytes;
    const shown = this.clientView(bytes);
    return shown.length > 0 ? shown : null;
  }

  streamChunk(bytes: Buffer): Buffer | null {
    return this.view(this.events.push(bytes));
  }

  streamEnd(): Buffer | null {
    const rest = this.view(this.events.flush());
    this.observer.end();
    return rest;
  }

  body(bytes: Buffer, status: number, contentType: string): EncodedBody {
    this.observer.body(bytes);
    return { status, contentType, body: bytes };
  }

  get usage() {
    return this.observer.usage;
  }

  get sawFirstToken(): boolean {
    return this.observer.sawFirstToken;
  }
}
