import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingUpstream } from './recording-upstream.ts';

/**
 * What the next chat request gets: `ok`; an error status (`500`, `503`, `400`); `429:<seconds>` with
 * that `Retry-After`; `reset` (headers of a stream, then the socket cut before any event);
 * `reset-midstream` (two events, then the cut); `stall` (no answer at all); `delay:<ms>` (ok, late).
 */
export type Fault = 'ok' | '500' | '503' | '400' | `429:${number}` | 'reset' | 'reset-midstream' | 'stall' | `delay:${number}`;

/**
 * An OpenAI-shaped upstream for fault injection: each chat request takes the next fault from a queue
 * (then `fallback`, `ok` unless set), and a good answer says which upstream wrote it. `/models` (the
 * health probe) answers 200, or 503 while `down` is set.
 */
export class FaultUpstream extends RecordingUpstream {
  readonly name: string;
  private readonly queue: Fault[] = [];
  fallback: Fault = 'ok';
  down = false;
  /** Chat requests only (probes excluded). */
  chatRequests = 0;

  constructor(name: string) {
    super();
    this.name = name;
  }

  /** Queues faults for the next requests, in order. */
  next(...faults: Fault[]): this {
    this.queue.push(...faults);
    return this;
  }

  protected respond(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(this.down ? 503 : 200, { 'content-type': 'application/json' });
      res.end(this.down ? '{"error":{"message":"down"}}' : '{"object":"list","data":[]}');
      return;
    }
    this.chatRequests++;
    const fault = this.queue.shift() ?? this.fallback;
    const request = JSON.parse(body.toString('utf8')) as { model: string; stream?: boolean };
    if (fault === 'stall') return;
    if (fault.startsWith('delay:')) {
      setTimeout(() => this.answer(res, request), Number(fault.slice(6)));
      return;
    }
    if (fault === 'ok') return this.answer(res, request);
    if (fault === 'reset' || fault === 'reset-midstream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (fault === 'reset-midstream') {
        res.write(this.chunk(request.model, { role: 'assistant', content: '' }));
        res.write(this.chunk(request.model, { content: 'partial ' }));
      } else res.flushHeaders();
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    const [status, retryAfter] = fault.split(':') as [string, string | undefined];
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
    res.writeHead(Number(status), headers);
    res.end(JSON.stringify({ error: { message: `injected ${status} from ${this.name}`, type: status === '400' ? 'invalid_request_error' : 'server_error', param: null, code: null } }));
  }

  private chunk(model: string, delta: Record<string, unknown>, finish: string | null = null): string {
    return `data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  }

  private answer(res: ServerResponse, request: { model: string; stream?: boolean }): void {
    const text = `served by ${this.name}`;
    const usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
    if (request.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(this.chunk(request.model, { role: 'assistant', content: '' }));
      res.write(this.chunk(request.model, { content: text }));
      res.write(this.chunk(request.model, {}, 'stop'));
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fault', object: 'chat.completion.chunk', created: 1, model: request.model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: 'chatcmpl-fault',
        object: 'chat.completion',
        created: 1,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage,
      }),
    );
  }
}
