import { request } from 'node:http';
import { join } from 'node:path';
import { openStorage, type LedgerRow } from '../../src/storage/index.ts';
import { until } from './until.ts';

/** The ledger row of a request in `moat serve`'s folder `dir`, read through a second connection once the writer has flushed it. */
export async function ledgerRowIn(dir: string, requestId: string): Promise<LedgerRow> {
  const storage = await openStorage({ path: join(dir, 'moat.db') });
  try {
    let row: LedgerRow | undefined;
    await until(async () => (row = await storage.ledger.get(requestId)) !== undefined, `the ledger row of ${requestId}`, 8000);
    return row!;
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
