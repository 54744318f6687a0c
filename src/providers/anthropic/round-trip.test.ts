import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldEvents, ResponseFolder, type CanonicalMessage, type CanonicalRequest, type CanonicalResponse } from '../../canonical/index.ts';
import { configSchema, type ProviderConfig } from '../../config/index.ts';
import type { MoatError } from '../../errors/index.ts';
import { FakeAnthropicUpstream } from '../../../test/support/fake-anthropic-upstream.ts';
import type { Provider } from '../types.ts';
import { createAnthropicProvider } from './create-anthropic-provider.ts';

/**
 * The provider's pure transforms against the fake Anthropic API, which checks requests as the real one
 * does: a tool loop with thinking must send the signed thinking back unaltered.
 */
const modelConfig = configSchema.parse({ models: [{ name: 'claude', provider: 'anthropic' }] }).models[0]!;
const fake = new FakeAnthropicUpstream();
let baseUrl = '';
let provider: Provider;

beforeAll(async () => {
  baseUrl = await fake.start();
  const config = { type: 'anthropic', baseUrl, headers: {}, unsupportedParams: [], connections: 4, timeouts: {} } as unknown as ProviderConfig;
  provider = createAnthropicProvider('anthropic', config, { headersMs: 5000, idleMs: 5000, keepAliveMs: 5000 }, { ANTHROPIC_API_KEY: fake.apiKey });
});

afterAll(async () => {
  await provider.close();
  await fake.stop();
});

type Outcome = { ok: true; response: CanonicalResponse } | { ok: false; error: MoatError };

async function call(request: CanonicalRequest): Promise<Outcome> {
  const { statusCode, headers, body } = await provider.dispatcher.request({
    origin: new URL(baseUrl).origin,
    path: provider.basePath + provider.chat.path,
    method: 'POST',
    headers: provider.upstreamHeaders('req-1', {}),
    body: provider.chat.encodeRequest(request, request.model, modelConfig),
  });
  const bytes = Buffer.from(await body.arrayBuffer());
  if (statusCode !== 200) return { ok: false, error: provider.decodeError(statusCode, headers, bytes) };
  if (!request.stream) return { ok: true, response: foldEvents(provider.chat.decodeResponse(bytes, modelConfig)) };
  const folder = new ResponseFolder();
  const decoder = provider.chat.createStreamDecoder((e) => folder.add(e), modelConfig);
  decoder.feed(bytes);
  decoder.end();
  return { ok: true, response: folder.response };
}

const question: CanonicalMessage = { role: 'user', parts: [{ type: 'text', text: 'Should I bring an umbrella in Seattle today?' }] };
const weatherTool = { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } };
const ask = (messages: CanonicalMessage[], stream: boolean, model = 'fx-messages-thinking-tools'): CanonicalRequest => ({
  model,
  stream,
  includeUsage: true,
  messages,
  options: { tools: [weatherTool], reasoning: { budgetTokens: 2048 } },
});

async function answer(request: CanonicalRequest): Promise<CanonicalResponse> {
  const outcome = await call(request);
  if (!outcome.ok) throw outcome.error;
  return outcome.response;
}

async function refusal(request: CanonicalRequest): Promise<MoatError> {
  const outcome = await call(request);
  if (outcome.ok) throw new Error('expected the fake upstream to refuse the request');
  return outcome.error;
}

/** The first turn's answer, then the tool result, as the client would send them back. */
function followUp(first: CanonicalResponse): CanonicalMessage[] {
  const choice = first.choices[0]!;
  return [
    question,
    { role: 'assistant', parts: structuredClone(choice.parts) },
    { role: 'tool', parts: [{ type: 'tool-result', toolCallId: choice.toolCalls[0]!.id, content: [{ type: 'text', text: '54°F, light rain' }] }] },
  ];
}

describe('a tool loop with thinking against the fake Anthropic API', () => {
  for (const stream of [false, true]) {
    it(`sends the signed thinking back and gets the follow-up answer (${stream ? 'stream' : 'non-stream'})`, async () => {
      const first = await answer(ask([question], stream));
      const parts = first.choices[0]!.parts;
      expect(parts.map((p) => p.type)).toEqual(['reasoning', 'tool-call']);
      expect(parts[0]).toMatchObject({ type: 'reasoning', signature: fake.sign(first.choices[0]!.reasoning) });
      expect(first.choices[0]!.finishReason).toBe('tool_calls');

      const second = await answer(ask(followUp(first), stream));
      expect(second.choices[0]!.text).not.toBe('');
      expect(second.choices[0]!.finishReason).toBe('stop');
      const sent = JSON.parse(fake.lastRequest().body.toString('utf8')) as { messages: Array<{ role: string; content: Array<{ type: string }> }> };
      expect(sent.messages.map((m) => [m.role, m.content.map((b) => b.type)])).toEqual([
        ['user', ['text']],
        ['assistant', ['thinking', 'tool_use']],
        ['user', ['tool_result']],
      ]);
    });
  }

  it('is refused when the thinking text was altered', async () => {
    const messages = followUp(await answer(ask([question], false)));
    const reasoning = messages[1]!.parts[0]!;
    if (reasoning.type !== 'reasoning') throw new Error('expected reasoning first');
    reasoning.text += ' (edited)';
    const error = await refusal(ask(messages, false));
    expect(error.code).toBe('upstream_bad_request');
    expect(error.upstreamCode).toBe('invalid_request_error');
    expect(error.message).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
  });

  it('is refused when the reasoning is unsigned (it is dropped, and the API wants thinking first)', async () => {
    const messages = followUp(await answer(ask([question], false)));
    const reasoning = messages[1]!.parts[0]!;
    if (reasoning.type !== 'reasoning') throw new Error('expected reasoning first');
    delete reasoning.signature;
    const error = await refusal(ask(messages, false));
    expect(error.code).toBe('upstream_bad_request');
    expect(error.message).toMatch(/^messages\.1\.content\.0\.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`/);
  });

  it('is refused when a tool result answers no tool call of the turn before', async () => {
    const messages = followUp(await answer(ask([question], false)));
    const result = messages[2]!.parts[0]!;
    if (result.type !== 'tool-result') throw new Error('expected a tool result');
    result.toolCallId = 'toolu_unknown';
    expect((await refusal(ask(messages, false))).message).toMatch(/unexpected `tool_use_id` found in `tool_result` blocks: toolu_unknown/);
  });

  it('passes upstream errors and a mid-stream error through the decoders', async () => {
    const limited = await refusal(ask([question], false, 'status-429'));
    expect([limited.code, limited.retryAfter, limited.upstreamCode]).toEqual(['upstream_rate_limited', '7', 'rate_limit_error']);
    expect((await refusal(ask([question], false, 'status-529'))).code).toBe('upstream_overloaded');
    const cut = await answer({ ...ask([question], true, 'midstream-error'), options: {} });
    expect(cut.error).toEqual({ message: 'Overloaded', code: 'overloaded_error' });
  });
});

describe('the fake Anthropic API through the official SDK', () => {
  const client = (): Anthropic => new Anthropic({ apiKey: fake.apiKey, baseURL: baseUrl.replace(/\/v1$/, ''), maxRetries: 0 });
  const params: MessageCreateParamsNonStreaming = {
    model: 'fx-messages-thinking',
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    messages: [{ role: 'user', content: 'Is 1001 a prime number? Explain briefly.' }],
  };

  it('streams the same message it answers whole, signed by the fake', async () => {
    const whole = await client().messages.create(params);
    // finalMessage() adds a `parsed_output` of its own.
    const { parsed_output: _parsed, ...streamed } = (await client().messages.stream(params).finalMessage()) as unknown as Record<string, unknown>;
    expect(streamed).toEqual(whole);
    const thinking = whole.content[0]!;
    expect(thinking.type === 'thinking' && thinking.signature).toBe(fake.sign(thinking.type === 'thinking' ? thinking.thinking : ''));
  });

  it('checks the key, the version header and max_tokens like the API', async () => {
    await expect(new Anthropic({ apiKey: 'wrong', baseURL: baseUrl.replace(/\/v1$/, ''), maxRetries: 0 }).messages.create(params)).rejects.toMatchObject({ status: 401 });
    const noVersion = await fetch(`${baseUrl}/messages`, { method: 'POST', headers: { 'x-api-key': fake.apiKey }, body: '{}' });
    expect(noVersion.status).toBe(400);
    const noMax = await fetch(`${baseUrl}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'fx-messages-text', messages: [] }),
    });
    expect(await noMax.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: Field required' } });
    const tooBig = await fetch(`${baseUrl}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': fake.apiKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...params, max_tokens: 2048 }),
    });
    expect(tooBig.status).toBe(400);
  });

  it('answers count_tokens and the model list', async () => {
    expect(await client().messages.countTokens({ model: 'x', messages: [{ role: 'user', content: 'hi' }] })).toEqual({ input_tokens: 27 });
    const models = await client().models.list();
    expect(models.data.length).toBeGreaterThan(0);
    expect(fake.requests.at(-1)!.path).toMatch(/^\/v1\/models/);
  });
});
