import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, startTestGateway, type TestGateway } from './support/start-gateway.ts';

let moat: TestGateway;
// One connection for every request: each must leave it ready for the next.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

beforeAll(async () => {
  moat = await startTestGateway();
});
afterAll(async () => {
  agent.destroy();
  await moat.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Delivery {
  /** Without a content-length, in chunked encoding. */
  chunked?: boolean;
  /** The headers go out alone, `gapMs` before the first piece; otherwise with it. */
  headersAlone?: boolean;
}

/** Sends `body` in `pieces`, `gapMs` apart. */
async function send(body: Buffer, pieces: number, gapMs: number, { chunked = false, headersAlone = false }: Delivery = {}): Promise<{ status: number; text: string; socketReused: boolean }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = body.length;
    const req = request(new URL(`${moat.baseURL}/chat/completions`), { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), socketReused: req.reusedSocket }));
    });
    req.on('error', reject);
    void (async () => {
      if (headersAlone) {
        req.flushHeaders();
        await sleep(gapMs);
      }
      const size = Math.ceil(body.length / pieces);
      for (let i = 0; i < pieces - 1; i++) {
        req.write(body.subarray(i * size, (i + 1) * size));
        await sleep(gapMs);
      }
      req.end(body.subarray((pieces - 1) * size));
    })();
  });
}

describe('request bodies reach the upstream byte for byte however they arrive', () => {
  const body = (n: number) => Buffer.from(JSON.stringify({ model: 'fx-chat-text', messages: [{ role: 'user', content: `hello ${n} ${'é'.repeat(n)}` }], x_unknown: n }));

  it.each([
    ['with its headers, in one write', 1, 0, {}],
    ['after its headers', 1, 30, { headersAlone: true }],
    ['half with its headers, half later', 2, 30, {}],
    ['in three pieces after its headers', 3, 10, { headersAlone: true }],
    ['chunked, without a length', 3, 10, { chunked: true }],
  ] as const)('a body sent %s', async (_how, pieces, gapMs, delivery: Delivery) => {
    for (let n = 1; n <= 3; n++) {
      const sent = body(n * 7);
      const answer = await send(sent, pieces, gapMs, delivery);
      expect(answer.status, answer.text).toBe(200);
      expect(JSON.parse(answer.text).object).toBe('chat.completion');
      expect(moat.upstream.lastRequest().body.equals(sent)).toBe(true);
      if (n > 1) expect(answer.socketReused).toBe(true);
    }
  });

  it('a body shorter than its declared length is not relayed until the rest comes', async () => {
    const sent = body(5);
    const start = moat.upstream.requests.length;
    // Headers at 0 ms, the first half at 150, the rest at 300.
    const answer = send(sent, 2, 150, { headersAlone: true });
    await sleep(225);
    expect(moat.upstream.requests.length).toBe(start);
    expect((await answer).status).toBe(200);
    expect(moat.upstream.requests.length).toBe(start + 1);
    expect(moat.upstream.lastRequest().body.equals(sent)).toBe(true);
  });
});
