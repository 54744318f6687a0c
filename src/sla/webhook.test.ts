import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook, webhookHost } from './webhook.ts';

let server: Server | null = null;

/** A receiver that answers each POST with the next status of `statuses` (the last one repeats). */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      res.writeHead(statuses[Math.min(bodies.length - 1, statuses.length - 1)]!).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/secret-token`, bodies };
}

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

describe('postWebhook', () => {
  it('retries 5xx with backoff until the receiver takes it', async () => {
    const { url, bodies } = await receiver([500, 503, 200]);
    const result = await postWebhook({ url, retries: 3, timeoutMs: 1000, backoffMs: 10 }, { hello: 1 });
    expect(result).toEqual({ ok: true, attempts: 3, last: '200' });
    expect(bodies).toEqual([{ hello: 1 }, { hello: 1 }, { hello: 1 }]);
  });

  it('gives up after the retries, and at once on a 4xx', async () => {
    const { url, bodies } = await receiver([502]);
    expect(await postWebhook({ url, retries: 2, timeoutMs: 1000, backoffMs: 1 }, {})).toEqual({ ok: false, attempts: 3, last: '502' });
    expect(bodies).toHaveLength(3);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const second = await receiver([404]);
    expect(await postWebhook({ url: second.url, retries: 5, timeoutMs: 1000, backoffMs: 1 }, {})).toMatchObject({ ok: false, attempts: 1, last: '404' });
  });

  it('retries a refused connection, and never names more than the host', async () => {
    const result = await postWebhook({ url: 'http://127.0.0.1:9/x', retries: 1, timeoutMs: 500, backoffMs: 1 }, {});
    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(2);
    expect(webhookHost('https://hooks.slack.com/services/T000/B000/XXXX')).toBe('hooks.slack.com');
  });
});
