import type { IncomingMessage, ServerResponse } from 'node:http';
import { RecordingUpstream } from './recording-upstream.ts';

interface Held {
  /** The text of the request's last user message: tests label requests with it. */
  label: string;
  stream: boolean;
  model: string;
  res: ServerResponse;
}

/**
 * An OpenAI-shaped upstream with a fixed number of GPU slots in mind: it holds every request until
 * the test releases it (or answers after `autoAnswerMs` once set), and counts how many it has in
 * flight at once — a request is in flight from its arrival until this server ends its answer, or
 * Moat cuts it.
 */
export class HoldingUpstream extends RecordingUpstream {
  readonly held: Held[] = [];
  /** Labels in the order requests arrived. */
  readonly arrivals: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Set: answer every request after this many ms instead of holding it. */
  autoAnswerMs: number | null = null;
  private waiters: Array<() => void> = [];

  protected respond(_req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const parsed = JSON.parse(body.toString('utf8')) as { model: string; stream?: boolean; messages: Array<{ content: unknown }> };
    const content = parsed.messages.at(-1)?.content;
    const label = typeof content === 'string' ? content : JSON.stringify(content);
    const held: Held = { label, stream: parsed.stream === true, model: parsed.model, res };
    this.arrivals.push(label);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    let counted = true;
    res.once('close', () => {
      // Cut by Moat before the answer ended.
      if (counted) this.inFlight--;
      counted = false;
      const at = this.held.indexOf(held);
      if (at !== -1) this.held.splice(at, 1);
    });
    const answer = (): void => {
      if (!counted) return;
      counted = false;
      this.inFlight--;
      this.answer(held);
    };
    if (this.autoAnswerMs !== null) {
      setTimeout(answer, this.autoAnswerMs);
      return;
    }
    (held as Held & { answer: () => void }).answer = answer;
    this.held.push(held);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Answers the oldest held request (or the first whose label matches); returns its label. */
  release(match?: (label: string) => boolean): string {
    const at = match ? this.held.findIndex((h) => match(h.label)) : 0;
    const held = this.held[at] as (Held & { answer: () => void }) | undefined;
    if (!held) throw new Error(`no held request${match ? ' matches' : ''}; held: ${JSON.stringify(this.held.map((h) => h.label))}`);
    this.held.splice(at, 1);
    held.answer();
    return held.label;
  }

  /** Answers everything held now, and every later request after `ms`. */
  releaseAll(ms = 1): void {
    this.autoAnswerMs = ms;
    while (this.held.length > 0) this.release();
  }

  /** Resolves once `n` requests are held. */
  async waitForHeld(n: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.held.length < n) {
      if (Date.now() > deadline) throw new Error(`waited for ${n} held requests; have ${this.held.length}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private answer({ label, stream, model, res }: Held): void {
    const usage = { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 };
    if (!stream) {
      const body = JSON.stringify({
        id: `chatcmpl-${label}`,
        object: 'chat.completion',
        created: 1,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: `done ${label}` }, finish_reason: 'stop' }],
        usage,
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
      return;
    }
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      `data: ${JSON.stringify({ id: `chatcmpl-${label}`, object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(
      chunk({ role: 'assistant', content: '' }, null) +
        chunk({ content: `done ${label}` }, null) +
        chunk({}, 'stop') +
        `data: ${JSON.stringify({ id: `chatcmpl-${label}`, object: 'chat.completion.chunk', created: 1, model, choices: [], usage })}\n\n` +
        'data: [DONE]\n\n',
    );
  }
}
