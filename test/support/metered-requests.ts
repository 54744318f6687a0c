import { request } from 'node:http';
import { join } from 'node:path';
import { openStorage, type LedgerRow } from '../../src/storage/index.ts';

/** Polls `read` until it gives a value; fails after `timeoutMs`. */
async function firstValue<T>(read: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('ledger row not written in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The ledger row of a request in `moat serve`'s folder `dir`, read through a second connection once the writer has flushed it. */
export async function ledgerRowIn(dir: string, requestId: string): Promise<LedgerRow> {
  const storage = await openStorage({ path: join(dir, 'moat.db') });
  try {
    return await firstValue(() => storage.ledger.get(requestId));
  } finally {
    await storage.close();
  }
}

/** Streams a chat request to `baseUrl` and hangs up once `events` SSE events have arrived; resolves with the request id. */
export function streamThenLeave(baseUrl: string, key: string, body: Record<string, unknown>, events: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}` } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.split('\n\n').filter((e) => e.startsWith('data: ')).length >= events) {
          req.destroy();
          resolve(String(res.headers['x-request-id']));
        }
      });
      res.on('error', () => {});
    });
    req.on('error', () => {});
    req.setTimeout(5000, () => reject(new Error('no events')));
    req.end(JSON.stringify({ ...body, stream: true }));
  });
}
