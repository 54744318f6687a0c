import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_KEY, startTestGateway, type TestGateway } from './support/start-gateway.ts';

let moat: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  moat = await startTestGateway();
  client = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 0, timeout: 5000 });
});
afterAll(() => moat.close());

interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string; moat_code: string; request_id: string };
}

async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${moat.baseURL}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as ErrorBody };
}

const chat = (model: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }], ...extra });

describe('bad input gets a fitting status and an OpenAI error body, never a 500', () => {
  const cases: Array<[string, () => ReturnType<typeof post>, number, string, string | null]> = [
    ['malformed JSON', () => post('/chat/completions', '{"model": "fx-chat-text", "messages": ['), 400, 'invalid_json', null],
    ['a JSON array', () => post('/chat/completions', '[1,2]'), 400, 'invalid_json', null],
    ['an empty body', () => post('/chat/completions', ''), 400, 'invalid_json', null],
    ['messages of the wrong type', () => post('/chat/completions', '{"model":"fx-chat-text","messages":"hi"}'), 400, 'invalid_request', 'messages'],
    ['a missing model', () => post('/chat/completions', '{"messages":[{"role":"user","content":"x"}]}'), 400, 'invalid_request', 'model'],
    ['an unknown role', () => post('/chat/completions', '{"model":"m","messages":[{"role":"robot","content":"x"}]}'), 400, 'invalid_request', 'messages[0].role'],
    ['temperature out of range', () => post('/chat/completions', chat('fx-chat-text', { temperature: 7 })), 400, 'invalid_request', 'temperature'],
    ['stream not a boolean', () => post('/chat/completions', chat('fx-chat-text', { stream: 'yes' })), 400, 'invalid_request', 'stream'],
    ['embeddings without input', () => post('/embeddings', '{"model":"fx-embed"}'), 400, 'invalid_request', 'input'],
  ];
  for (const [what, send, status, code, param] of cases) {
    it(what, async () => {
      const response = await send();
      expect(response.status).toBe(status);
      const body = response.json();
      expect(body.error.code).toBe(code);
      expect(body.error.type).toBe('invalid_request_error');
      expect(body.error.param).toBe(param);
      expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
    });
  }

  it('an unknown model is a 404 the SDK reads as NotFoundError', async () => {
    // The test config's catch-all "*" route sends unknown names upstream, which answers 404 itself:
    const upstream404 = await client.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(upstream404).toBeInstanceOf(OpenAI.NotFoundError);
    // Without a catch-all, Moat answers before calling any upstream:
    const strict = await startTestGateway({
      config: (url) => ({ ...moat.gateway.config, providers: { fake: { ...moat.gateway.config.providers.fake!, baseUrl: url } }, models: [{ name: 'only-this', provider: 'fake', reasoning: false, reasoningFormat: 'fields', unsupportedParams: [], tier: 'premium', weight: 1 }] }),
    });
    try {
      const strictClient = new OpenAI({ baseURL: strict.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
      const error = await strictClient.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
      expect(strict.upstream.requests).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('a body over the limit is a 413, whether declared or streamed', async () => {
    const limit = moat.gateway.config.server.bodyLimitBytes;
    const big = Buffer.alloc(limit + 10, 0x20);
    const declared = await post('/chat/completions', big);
    expect(declared.status).toBe(413);
    expect(declared.json().error.code).toBe('body_too_large');
    // Chunked upload, no content-length.
    const response = await fetch(`${moat.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 11; i++) controller.enqueue(new Uint8Array(limit / 10));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it('a missing key is 401 missing_api_key; a wrong key is 401 invalid_api_key; x-api-key works', async () => {
    const missing = await fetch(`${moat.baseURL}/chat/completions`, { method: 'POST', body: chat('fx-chat-text') });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('missing_api_key');
    const wrong = new OpenAI({ baseURL: moat.baseURL, apiKey: 'sk-wrong-key-0000000000', maxRetries: 0 });
    const error = await wrong.chat.completions.create({ model: 'fx-chat-text', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    const viaHeader = await fetch(`${moat.baseURL}/chat/completions`, { method: 'POST', headers: { 'x-api-key': CLIENT_KEY }, body: chat('fx-chat-text') });
    expect(viaHeader.status).toBe(200);
  });

  it('unknown paths are 404 and wrong methods 405, in the same body shape', async () => {
    const notFound = await fetch(`${moat.baseURL}/nope`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as ErrorBody).error.code).toBe('route_not_found');
    const wrongMethod = await fetch(`${moat.baseURL}/chat/completions`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });
});

describe('upstream failures map to fitting statuses', () => {
  const cases: Array<[string, number, string, (new (...args: never[]) => Error)]> = [
    ['status-400', 400, 'unsupported_parameter', OpenAI.BadRequestError],
    ['status-401', 502, 'upstream_auth_failed', OpenAI.InternalServerError],
    ['status-404', 404, 'model_not_found', OpenAI.NotFoundError],
    ['status-429', 429, 'rate_limit_exceeded', OpenAI.RateLimitError],
    ['status-500', 502, 'upstream_error', OpenAI.InternalServerError],
    ['status-503', 503, 'upstream_overloaded', OpenAI.InternalServerError],
  ];
  for (const [model, status, code, errorClass] of cases) {
    it(`${model} → ${status} ${code}`, async () => {
      const error = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(errorClass);
      const apiError = error as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(status);
      expect(apiError.code).toBe(code);
      if (model === 'status-429') expect(apiError.headers?.get('retry-after')).toBe('7');
      if (model === 'status-401') expect(apiError.message).not.toContain('Incorrect API key');
    });
  }

  it('headers that never come → 504 upstream_timeout', async () => {
    const response = await post('/chat/completions', chat('stall-headers'));
    expect(response.status).toBe(504);
    expect(response.json().error.code).toBe('upstream_timeout');
  });

  it('a refused connection → 502 upstream_unreachable', async () => {
    const down = await startTestGateway();
    await down.upstream.stop();
    try {
      const response = await fetch(`${down.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}` }, body: chat('fx-chat-text') });
      expect(response.status).toBe(502);
      expect(((await response.json()) as ErrorBody).error.code).toBe('upstream_unreachable');
    } finally {
      await down.gateway.shutdown(100);
    }
  });

  it('a connection reset mid-stream ends the stream with an error event the SDK throws', async () => {
    const stream = await client.chat.completions.create({ model: 'reset-midstream', messages: [{ role: 'user', content: 'x' }], stream: true });
    const error = await (async () => {
      for await (const _chunk of stream) void _chunk;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_unreachable');
  });

  it('a silent upstream mid-stream ends in an upstream_idle_timeout event', async () => {
    const stream = await client.chat.completions.create({ model: 'stall-body', messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks: unknown[] = [];
    const error = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch((e: unknown) => e);
    expect(chunks).toHaveLength(1);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_idle_timeout');
  });

  it('a silent non-streamed body → 504 upstream_idle_timeout', async () => {
    // stall-body opens an SSE response; asked without stream, Moat buffers it and times out.
    const response = await post('/chat/completions', chat('stall-body'));
    expect(response.status).toBe(504);
    expect(response.json().error.code).toBe('upstream_idle_timeout');
  });
});

describe('every response carries its request id, whichever stage wrote the head', () => {
  it('health, metrics, models, 404, 405, errors, answers and streams', async () => {
    const auth = { authorization: `Bearer ${CLIENT_KEY}`, 'x-client-request-id': 'trace-7' };
    const responses = {
      health: await fetch(`${moat.origin}/healthz`, { headers: auth }),
      metrics: await fetch(`${moat.origin}/metrics`, { headers: auth }),
      models: await fetch(`${moat.baseURL}/models`, { headers: auth }),
      notFound: await fetch(`${moat.baseURL}/nope`, { headers: auth }),
      wrongMethod: await fetch(`${moat.baseURL}/chat/completions`, { headers: auth }),
      badInput: await fetch(`${moat.baseURL}/chat/completions`, { method: 'POST', headers: auth, body: '{' }),
      answer: await fetch(`${moat.baseURL}/chat/completions`, { method: 'POST', headers: auth, body: chat('fx-chat-text') }),
      stream: await fetch(`${moat.baseURL}/chat/completions`, { method: 'POST', headers: auth, body: chat('fx-chat-text', { stream: true }) }),
    };
    const ids = new Set<string>();
    for (const [name, response] of Object.entries(responses)) {
      await response.arrayBuffer();
      expect(response.headers.get('x-request-id'), name).toMatch(/^req_[0-9a-f]{32}$/);
      expect(response.headers.get('x-client-request-id'), name).toBe('trace-7');
      ids.add(response.headers.get('x-request-id')!);
    }
    expect(ids.size).toBe(Object.keys(responses).length);
    expect(responses.wrongMethod.headers.get('allow')).toBe('POST');
    // The route stage's header reaches both a buffered answer and a stream's head.
    expect(responses.answer.headers.get('x-moat-route')).toMatch(/^model:/);
    expect(responses.stream.headers.get('x-moat-route')).toMatch(/^model:/);
    expect(responses.stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
  });
});
