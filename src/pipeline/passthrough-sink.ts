import type { ResponseObserver } from '../providers/index.ts';
import { WholeEventBuffer } from '../streaming/index.ts';
import type { EncodedBody, ResponseSink } from './response-sink.ts';

/** The client speaks the upstream's API: its bytes go back unchanged, in whole SSE events. */
export class PassthroughSink implements ResponseSink {
  private readonly observer: ResponseObserver;
  private readonly events = new WholeEventBuffer();
  readonly streamError = null;

  constructor(observer: ResponseObserver) {
    this.observer = observer;
  }

  streamChunk(bytes: Buffer): Buffer | null {
    const whole = this.events.push(bytes);
    if (whole) this.observer.chunk(whole);
    return whole;
  }

  streamEnd(): Buffer | null {
    const rest = this.events.flush();
    if (rest) this.observer.chunk(rest);
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
