import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/**
 * A loopback HTTP server for the fake upstreams: records every request with its whole body, counts
 * requests whose client (Moat) went away before the answer ended, and stops by cutting every socket.
 */
export abstract class RecordingUpstream {
  readonly requests: RecordedRequest[] = [];
  abortedRequests = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  protected abstract respond(req: IncomingMessage, res: ServerResponse, body: Buffer): void;

  /** Starts listening on a free port; returns the base URL, `/v1` included. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => this.record(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  lastRequest(): RecordedRequest {
    const last = this.requests.at(-1);
    if (!last) throw new Error(`${this.constructor.name} has received no request`);
    return last;
  }

  private record(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      res.once('close', () => {
        if (!res.writableFinished) this.abortedRequests++;
      });
      this.respond(req, res, body);
    });
  }
}
