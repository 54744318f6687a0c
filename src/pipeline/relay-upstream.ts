import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { MoatError, toMoatError } from '../errors/index.ts';
import { mapTransportError } from '../upstream/index.ts';
import { attemptsHeader } from './attempts-header.ts';
import type { AttemptRecord, Call, Target } from './call.ts';
import type { ResponseSink } from './response-sink.ts';
import { formatUsd } from '../pricing/index.ts';
import { finalize } from './finalize.ts';
import { sendError, writeStreamError } from './send-error.ts';
import { writeHead } from './write-head.ts';

export interface UpstreamRequest {
  /** Endpoint path under the provider's base path, e.g. `/chat/completions`. */
  path: string;
  body: Buffer;
  stream: boolean;
  /** Makes the sink the answer goes through, once the request is on its way (`afterDispatch`). */
  createSink: () => ResponseSink;
  /** Filled in as the attempt goes: status, timings, failure. */
  attempt: AttemptRecord;
  /**
   * A failure before anything reached the client is handed back (the fallback loop may try another
   * target) instead of being answered; once bytes went out it is always answered here.
   */
  deferFailure: boolean;
}

/** Bigger non-streamed upstream bodies are refused rather than held in memory. */
const MAX_BUFFERED_RESPONSE_BYTES = 256 * 1024 * 1024;

class ClientClosedError extends Error {
  override name = 'ClientClosedError';
}

function isEventStream(headers: IncomingHttpHeaders): boolean {
  const type = headers['content-type'];
  return typeof type === 'string' && type.startsWith('text/event-stream');
}

/**
 * The last stage before the response: sends the body to the upstream and relays its answer through a
 * sink (passthrough or translation). Streams are written as they arrive, with backpressure; keep-alive
 * frames fill long silences; a client that goes away aborts the upstream request. Non-streamed bodies
 * are held until complete, so that a failure midway is a clean error instead of a truncated 200.
 */
class UpstreamRelay implements Dispatcher.DispatchHandler {
  private readonly call: Call;
  private readonly target: Target;
  private readonly request: UpstreamRequest;
  private made: ResponseSink | null = null;
  private readonly settle: (failure: MoatError | null) => void;
  private readonly attempt: AttemptRecord;
  private controller: Dispatcher.DispatchController | null = null;
  private status = 0;
  private upstreamHeaders: IncomingHttpHeaders = {};
  private mode: 'waiting' | 'stream' | 'buffer' | 'error' = 'waiting';
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private keepAlive: NodeJS.Timeout | null = null;
  private finished = false;
  /** A write whose first-token check is still queued. */
  private unnotedWriteAt: number | null = null;
  private readonly noteFirstTokenLater = (): void => this.noteFirstToken();

  constructor(call: Call, target: Target, request: UpstreamRequest, settle: (failure: MoatError | null) => void) {
    this.call = call;
    this.target = target;
    this.request = request;
    this.settle = settle;
    this.attempt = request.attempt;
  }

  /**
   * Called once the request is on its way: the sink, the client's close listener and the keep-alive
   * timer. No answer or event can arrive within the tick that dispatched, so none of them is needed
   * before dispatch, where they cost a request that finds Moat idle (docs/benchmarks.md).
   */
  afterDispatch(): void {
    void this.sink;
    if (this.finished) return;
    this.call.res.once('close', () => this.onClientClose());
    if (this.request.stream) {
      this.keepAlive = setTimeout(() => this.onSilence(), this.target.provider.timeouts.keepAliveMs);
    }
  }

  /** The attempt's sink, made on first use; from then on also the call's (what the meter reads). */
  get sink(): ResponseSink {
    if (this.made === null) {
      this.made = this.request.createSink();
      this.call.sink = this.made;
    }
    return this.made;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.finished) controller.abort(new ClientClosedError('client closed'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.upstreamHeaders = headers;
    this.attempt.status = status;
    this.attempt.headersMs = performance.now() - this.attempt.startedAt;
    if (status >= 400) this.mode = 'error';
    // The head goes out with the first bytes for the client: until then a failure can still fall back.
    else if (this.request.stream && isEventStream(headers)) this.mode = 'stream';
    else this.mode = 'buffer';
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.finished) return;
    if (this.mode !== 'stream') {
      this.buffered += chunk.length;
      if (this.buffered > MAX_BUFFERED_RESPONSE_BYTES) {
        controller.abort(new MoatError('upstream_invalid_response', `Upstream '${this.target.provider.name}' sent a body over ${MAX_BUFFERED_RESPONSE_BYTES} bytes.`));
        return;
      }
      this.chunks.push(chunk);
      return;
    }
    this.keepAlive?.refresh();
    const out = this.sink.streamChunk(chunk);
    if (this.sink.streamError) {
      this.fail(this.sink.streamError, out);
      controller.abort(new ClientClosedError('stream ended on an upstream error'));
      return;
    }
    if (out === null) return;
    if (!this.write(out)) {
      controller.pause();
      this.call.res.once('drain', () => controller.resume());
    }
  }

  /** Writes to the client; false when the client's buffer is full. */
  private write(out: Buffer | string): boolean {
    if (!this.call.res.headersSent) this.openStream();
    const writable = this.call.res.write(out);
    if (this.call.outcome.ttftMs === null && this.unnotedWriteAt === null) {
      // Checked once the bytes are on their way: a sink may observe them in a microtask.
      this.unnotedWriteAt = performance.now();
      queueMicrotask(this.noteFirstTokenLater);
    }
    return writable;
  }

  /** Time to first token: the time of the write that carried it (within a tick, the tick's first write). */
  private noteFirstToken(): void {
    const writtenAt = this.unnotedWriteAt;
    this.unnotedWriteAt = null;
    if (writtenAt === null || this.call.outcome.ttftMs !== null || !this.sink.sawFirstToken) return;
    this.call.outcome.ttftMs = writtenAt - this.call.startedAt;
    this.attempt.firstTokenMs = writtenAt - this.attempt.startedAt;
  }

  onResponseEnd(): void {
    if (this.finished) return;
    const body = this.mode === 'stream' ? null : this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    // A response filter may still be at work (the veil's reasoning summary): the answer ends after it.
    const working = this.mode === 'error' ? null : (this.sink.settle?.(body) ?? null);
    if (working === null) this.complete(body);
    else
      working.then(
        () => this.complete(body),
        () => this.complete(body),
      );
  }

  private complete(body: Buffer | null): void {
    if (this.finished) return;
    if (body === null) {
      const out = this.sink.streamEnd();
      if (this.sink.streamError) {
        this.fail(this.sink.streamError, out);
        return;
      }
      // Metered before the stream's last bytes (its terminal event) go out: see finalize.ts.
      this.call.outcome.status = this.status;
      this.finish();
      finalize(this.call);
      if (out !== null) this.write(out);
      else if (!this.call.res.headersSent) this.openStream();
      // The cost is known only now: it follows the stream as an HTTP trailer.
      if (this.call.outcome.costMicros !== null) this.call.res.addTrailers({ 'x-moat-cost': formatUsd(this.call.outcome.costMicros) });
      this.call.res.end();
      return;
    }
    if (this.mode === 'error') {
      this.fail(this.target.provider.decodeError(this.status, this.upstreamHeaders, body));
      return;
    }
    const contentType = String(this.upstreamHeaders['content-type'] ?? 'application/json');
    const answer = this.sink.body(body, this.status, contentType);
    if (answer instanceof MoatError) {
      this.fail(answer);
      return;
    }
    this.call.outcome.status = answer.status;
    this.finish();
    finalize(this.call);
    if (this.call.res.headersSent) {
      // A keep-alive already committed a stream, but the upstream answered with a plain body.
      this.call.res.end(answer.body);
      return;
    }
    const headers: Record<string, string> = { 'content-type': answer.contentType, 'content-length': String(Buffer.byteLength(answer.body)) };
    if (this.call.outcome.costMicros !== null) headers['x-moat-cost'] = formatUsd(this.call.outcome.costMicros);
    writeHead(this.call, answer.status, this.responseHeaders(headers));
    this.call.res.end(answer.body);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.finished) return;
    // Possibly inside dispatch, before relayUpstream made the sink: the meter must see this attempt's.
    void this.sink;
    this.fail(error instanceof MoatError ? error : mapTransportError(error, this.target.provider.name));
  }

  private responseHeaders(extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = {
      'x-moat-served-model': `${this.target.provider.name}/${this.target.upstreamModel}`,
      'x-moat-attempts': attemptsHeader(this.call.attempts),
      ...extra,
    };
    const upstreamId = this.upstreamHeaders['x-request-id'] ?? this.upstreamHeaders['request-id'];
    if (typeof upstreamId === 'string') headers['x-moat-upstream-request-id'] = upstreamId;
    if (this.call.warnings.length > 0) headers['x-moat-warnings'] = this.call.warnings.join('; ');
    return headers;
  }

  private openStream(): void {
    const { res } = this.call;
    if (res.headersSent) return;
    this.call.outcome.status = 200;
    const headers: Record<string, string> = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
    if (this.call.meter) headers.trailer = 'x-moat-cost';
    // Not flushed: the head goes out with the first event in one write, where flushing it alone cost a
    // syscall per stream (~8% of a streamed request's CPU, docs/benchmarks.md). A silent upstream still
    // gets the head to the client with the first keep-alive frame.
    writeHead(this.call, 200, this.responseHeaders(headers));
  }

  /** The upstream has been silent for `keepAliveMs`: show the client the stream is alive. */
  private onSilence(): void {
    if (this.finished || this.mode === 'error' || this.mode === 'buffer') return;
    this.openStream();
    this.call.res.write(this.call.dialect.keepAliveFrame);
    this.keepAlive?.refresh();
  }

  private onClientClose(): void {
    if (this.finished) return;
    this.call.outcome.clientClosed = true;
    this.finish();
    this.controller?.abort(new ClientClosedError('client closed'));
  }

  /** Ends the response with an error: a clean error body if nothing was sent yet, else an SSE error frame. */
  private fail(error: MoatError, lastOutput: Buffer | string | null = null): void {
    const { res } = this.call;
    this.attempt.failure = error;
    if (this.request.deferFailure && !res.headersSent) {
      this.finish(error);
      return;
    }
    this.finish();
    if (!res.headersSent) {
      sendError(this.call, error);
      return;
    }
    this.call.outcome.status = error.status;
    this.call.outcome.errorCode = error.code;
    finalize(this.call);
    if (this.request.stream) {
      if (lastOutput !== null) res.write(lastOutput);
      writeStreamError(this.call, error);
      res.end();
    } else res.destroy();
  }

  private finish(deferred: MoatError | null = null): void {
    if (this.finished) return;
    this.finished = true;
    this.noteFirstToken();
    this.attempt.endedMs = performance.now() - this.attempt.startedAt;
    if (this.keepAlive) clearTimeout(this.keepAlive);
    // A client that left is metered first (the gateway's close listener): keep the usage it was billed.
    if (!this.call.finalized && deferred === null) this.call.outcome.usage = this.sink.usage;
    this.settle(deferred);
  }
}

/**
 * Resolves when the client has its answer (or an error), or has gone away: with null, or with the
 * failure it deferred (`deferFailure`, nothing sent to the client yet).
 */
export function relayUpstream(call: Call, target: Target, request: UpstreamRequest): Promise<MoatError | null> {
  const headers = target.provider.upstreamHeaders(call.id, call.req.headers);
  request.attempt.startedAt = performance.now();
  return new Promise((resolve) => {
    const relay = new UpstreamRelay(call, target, request, resolve);
    try {
      target.provider.dispatcher.dispatch(
        { path: target.provider.basePath + request.path, method: 'POST', headers, body: request.body },
        relay,
      );
    } catch (error) {
      relay.onResponseError(null as unknown as Dispatcher.DispatchController, toMoatError(error));
    }
    relay.afterDispatch();
  });
}
