import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Anthropic } from '@anthropic-ai/sdk';

/** What the test server answers one request with. */
export interface TestReply {
  status: number;
  body: string;
  /** `text/event-stream` bodies are sent as they are; everything else as JSON. */
  stream?: boolean;
}

export interface SdkTestServer {
  /** The real `@anthropic-ai/sdk` client, pointed at the server, without retries. */
  readonly client: Anthropic;
  /** Replaced per test: parsed request body → reply. */
  answer: (body: Record<string, unknown>, path: string) => TestReply;
  close(): Promise<void>;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * A node:http server on a free port that answers the SDK with whatever the test's `answer` returns:
 * the dialect's output reaches the SDK over real HTTP, through its own SSE parser and accumulator.
 */
export async function startSdkTestServer(): Promise<SdkTestServer> {
  let answer: SdkTestServer['answer'] = () => ({ status: 500, body: '{}' });
  const server = createServer((request, response) => {
    readJson(request).then(
      (body) => {
        const reply = answer(body, request.url ?? '');
        response.writeHead(reply.status, { 'content-type': reply.stream ? 'text/event-stream' : 'application/json', 'request-id': 'req_test' });
        response.end(reply.body);
      },
      (error: unknown) => response.writeHead(400).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    client: new Anthropic({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 }),
    get answer() {
      return answer;
    },
    set answer(next) {
      answer = next;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
