import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For the SLA tests: an OpenAI-shaped upstream that injects known outcomes and delays, and records the
 * delays as they happened (timers fire late on a busy machine). The model name says what to do:
 *   ok-<ms>            answer after <ms>
 *   s-<ttft>-<total>   stream: headers at once, the first token after <ttft> ms, the end at <total> ms
 *   err-<status>       answer that status with an OpenAI error body
 *   stall              never answer
 */
export class SlaUpstream {
  readonly latencies: number[] = [];
  readonly ttfts: number[] = [];
  private readonly server: Server = createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    return listen(this.server);
  }

  reset(): void {
    this.latencies.length = 0;
    this.ttfts.length = 0;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let text = '';
    const arrived = performance.now();
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      const { model } = JSON.parse(text) as { model: string };
      let m: RegExpExecArray | null;
      if ((m = /^ok-(\d+)$/.exec(model))) {
        setTimeout(() => {
          this.latencies.push(performance.now() - arrived);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
        }, Number(m[1]));
      } else if ((m = /^s-(\d+)-(\d+)$/.exec(model))) {
        const [ttft, total] = [Number(m[1]), Number(m[2])];
        const chunk = (delta: object, finish: string | null = null): string =>
          `data: ${JSON.stringify({ id: 'c2', object: 'chat.completion.chunk', created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk({ role: 'assistant', content: '' }));
        setTimeout(() => {
          this.ttfts.push(performance.now() - arrived);
          res.write(chunk({ content: 'first' }));
        }, ttft);
        setTimeout(() => {
          this.latencies.push(performance.now() - arrived);
          res.write(chunk({ content: ' last' }, 'stop'));
          res.write(`data: ${JSON.stringify({ id: 'c2', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })}\n\n`);
          res.end('data: [DONE]\n\n');
        }, total);
      } else if ((m = /^err-(\d+)$/.exec(model))) {
        res.writeHead(Number(m[1]), { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `injected ${m[1]}`, type: 'server_error', param: null, code: null } }));
      } else if (model !== 'stall') {
        res.writeHead(404).end();
      }
    });
  }
}

/** A webhook receiver: keeps every JSON body; answers 503 to the first `failFirst` deliveries. */
export class WebhookReceiver {
  readonly received: Record<string, unknown>[] = [];
  private failures: number;
  private readonly server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      if (this.failures > 0) {
        this.failures--;
        res.writeHead(503).end();
        return;
      }
      this.received.push(JSON.parse(text) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });

  constructor(failFirst = 0) {
    this.failures = failFirst;
  }

  start(): Promise<string> {
    return listen(this.server);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The nearest-rank q-quantile: the ⌈q·n⌉-th smallest. */
export function exactQuantile(samples: readonly number[], q: number): number {
  return [...samples].sort((a, b) => a - b)[Math.max(1, Math.ceil(q * samples.length)) - 1]!;
}

/** The tolerance for latency percentiles: within 10 % + 2 ms of the truth. */
export function withinTolerance(reported: number, truth: number): boolean {
  return Math.abs(reported - truth) <= 0.1 * truth + 2;
}
