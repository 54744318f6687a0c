import { request } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, startTestGateway, type TestGateway } from './support/start-gateway.ts';
import { until } from './support/until.ts';

let moat: TestGateway;

beforeAll(async () => {
  moat = await startTestGateway();
});
afterAll(() => moat.close());

const streamBody = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], stream: true });

describe('streaming', () => {
  it('sends SSE keep-alive comments while the upstream is silent, then the stream', async () => {
    // silent-250: 250 ms of silence after the headers; keepAliveMs is 100 and idleMs 300 in the test
    // config, and the fake sends nothing in between.
    const response = await fetch(`${moat.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: streamBody('silent-250'),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = await response.text();
    const comments = text.split('\n\n').filter((e) => e === ': keep-alive');
    expect(comments.length).toBeGreaterThanOrEqual(1);
    expect(text.indexOf(': keep-alive')).toBeLessThan(text.indexOf('data: '));
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('the official client ignores keep-alive comments and gets the whole answer', async () => {
    const client = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
    const final = await client.chat.completions
      .stream({ model: 'silent-250', messages: [{ role: 'user', content: 'x' }], stream: true })
      .finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('The capital of France is Paris. It sits on the Seine and is home to about 2.1 million people.');
  });

  it('a client that disconnects mid-stream aborts the upstream request', async () => {
    const aborted = moat.upstream.abortedRequests;
    const controller = new AbortController();
    const response = await fetch(`${moat.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: streamBody('stall-body'),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read(); // the first event
    controller.abort();
    await until(() => moat.upstream.abortedRequests === aborted + 1);
    const metrics = await (await fetch(`${moat.origin}/metrics`)).text();
    expect(metrics).toMatch(/moat_requests_total\{endpoint="chat_completions",provider="fake",model_route="\*",status="499"\} 1/);
  });

  it('respects backpressure: a client that stops reading stops the upstream', async () => {
    // The upstream offers 64 MiB; a client that reads nothing must not make Moat buffer it all.
    let received = 0;
    let writtenWhenBlocked = -1;
    const req = request(`${moat.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    const done = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        res.pause();
        res.on('data', (chunk: Buffer) => (received += chunk.length));
        res.on('end', resolve);
        res.on('error', reject);
        // Once the upstream finds its socket full, note how far it got, then read everything.
        until(() => moat.upstream.floodBlocked, 'the upstream to block', 5000).then(() => {
          writtenWhenBlocked = moat.upstream.floodBytesWritten;
          res.resume();
        }, reject);
      });
    });
    req.end(streamBody('flood-64'));
    await done;
    // Blocked long before everything was written: Moat held at most socket buffers' worth.
    expect(writtenWhenBlocked).toBeGreaterThan(0);
    expect(writtenWhenBlocked).toBeLessThan(16 * 1024 * 1024);
    expect(received).toBeGreaterThan(64 * 1024 * 1024);
}, 20_000);
});
