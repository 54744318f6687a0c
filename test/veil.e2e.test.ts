import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { anthropicFixtureBytes } from './support/fake-anthropic-upstream.ts';
import { startTestGateway, TEST_ENV, type TestGateway } from './support/start-gateway.ts';
import { SUMMARY, VeilUpstream } from './support/veil-upstream.ts';

/**
 * The reasoning veil through the official SDKs: a `hidden` key gets no reasoning from any upstream
 * format, stream or not, in either API; an Anthropic thinking tool loop survives through sealed blobs;
 * what could leak the reasoning is refused.
 */
const HIDDEN = 'sk-moat-veil-hidden-key-0001';
const VISIBLE = 'sk-moat-veil-visible-key-001';
const SUMMARISED = 'sk-moat-veil-summary-key-001';
let moat: TestGateway;
const server = new VeilUpstream();

beforeAll(async () => {
  const serverUrl = await server.start();
  moat = await startTestGateway({
    config: (openaiUrl, anthropicUrl) =>
      parseConfigText(
        `
auth:
  keys:
    - { name: hidden, key: ${HIDDEN} }
    - { name: visible, key: ${VISIBLE} }
    - { name: summarised, key: ${SUMMARISED} }
log: { level: silent }
storage: { enabled: false }
veil:
  keys:
    "config:hidden": { reasoning: hidden }
    "config:summarised": { reasoning: summary }
  leakChannels: { allowedExtras: [top_k] }
  summary: { model: small-summariser, maxTokens: 40 }
providers:
  vllm: { type: openai-compatible, baseUrl: "${serverUrl}", cacheSalt: true }
  ant: { type: anthropic, baseUrl: "${anthropicUrl}", apiKeyEnv: FAKE_ANTHROPIC_KEY }
  openai: { type: openai, baseUrl: "${openaiUrl}", apiKeyEnv: FAKE_UPSTREAM_KEY }
models:
  - { name: r1-reasoning-content, provider: vllm, model: deepseek-reasoning }
  - { name: r1-reasoning, provider: vllm, model: reasoning-field }
  - { name: r1-thinking, provider: vllm, model: thinking-field }
  - { name: qwq-tags, provider: vllm, model: think-tags, reasoningFormat: think-tags }
  - { name: r1-distill, provider: vllm, model: think-tags-open, reasoningFormat: think-tags-open }
  - { name: qwq-cut, provider: vllm, model: think-tags-truncated, reasoningFormat: think-tags }
  - { name: qwq-parser-off, provider: vllm, model: think-tags }
  - { name: "r1-text-*", provider: vllm, model: "text-*", reasoningFormat: think-tags-open }
  - { name: "copy-*", provider: vllm, model: "copy-*" }
  - { name: "slow-*", provider: vllm, model: "slow-*" }
  - { name: small-summariser, provider: vllm, model: summariser }
  - { name: "ant/*", provider: ant }
  - { name: o-reasoner, provider: openai, model: fx-chat-reasoning, reasoning: true }
`,
        'test',
        TEST_ENV,
      ),
  });
});
afterAll(async () => {
  await moat.close();
  await server.stop();
});

const openai = (key: string) => new OpenAI({ baseURL: moat.baseURL, apiKey: key, maxRetries: 0 });
const anthropic = (key: string) => new Anthropic({ baseURL: moat.origin, apiKey: key, maxRetries: 0 });
const ask: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Is 91 prime?' }];
const REASONING_FIELDS = /reasoning_content|"reasoning"|reasoning_details|"thinking"|<think>|<\/think>/;
const FORMATS = ['r1-reasoning-content', 'r1-reasoning', 'r1-thinking', 'qwq-tags', 'r1-distill'];

type Reasoned = OpenAI.Chat.ChatCompletionMessage & { reasoning_content?: string; reasoning?: string; thinking?: string };

describe.each(FORMATS)('an OpenAI client of %s', (model) => {
  it('sees reasoning with a visible key, none with a hidden key, and the same answer — non-stream', async () => {
    const visible = await openai(VISIBLE).chat.completions.create({ model, messages: ask });
    // A visible key is served by passthrough: the server's own field name.
    const shown = visible.choices[0]!.message as Reasoned;
    const reasoning = (shown.reasoning_content ?? shown.reasoning ?? shown.thinking)!;
    expect(reasoning.length).toBeGreaterThan(10);
    const { data: hidden, response } = await openai(HIDDEN).chat.completions.create({ model, messages: ask }).withResponse();
    expect(hidden.choices[0]!.message.content).toBe(visible.choices[0]!.message.content);
    expect(JSON.stringify(hidden)).not.toMatch(REASONING_FIELDS);
    expect(JSON.stringify(hidden)).not.toContain(reasoning.trim().slice(0, 16));
    // Reasoning tokens are reported (counted by Moat: these servers report none) and billed as output.
    expect(hidden.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    expect(hidden.usage!.completion_tokens_details!.reasoning_tokens).toBeLessThanOrEqual(hidden.usage!.completion_tokens);
    expect(response.headers.get('x-moat-warnings')).toBeNull();
  });

  it('the same, streamed: no chunk carries reasoning', async () => {
    const visible = await openai(VISIBLE).chat.completions.stream({ model, messages: ask, stream: true }).finalChatCompletion();
    const stream = await openai(HIDDEN).chat.completions.create({ model, messages: ask, stream: true, stream_options: { include_usage: true } });
    let content = '';
    let reasoningTokens = 0;
    for await (const chunk of stream) {
      expect(JSON.stringify(chunk)).not.toMatch(REASONING_FIELDS);
      content += chunk.choices[0]?.delta.content ?? '';
      reasoningTokens = chunk.usage?.completion_tokens_details?.reasoning_tokens ?? reasoningTokens;
    }
    expect(content).toBe(visible.choices[0]!.message.content);
    expect(reasoningTokens).toBeGreaterThan(0);
  });
});

describe('an OpenAI reasoning model (reasoning already hidden upstream)', () => {
  it("keeps the upstream's reasoning count under the veil, translated instead of passed through", async () => {
    const visible = await openai(VISIBLE).chat.completions.create({ model: 'o-reasoner', messages: ask });
    const { data: hidden, response } = await openai(HIDDEN).chat.completions.create({ model: 'o-reasoner', messages: ask }).withResponse();
    expect(hidden.choices[0]!.message.content).toBe(visible.choices[0]!.message.content);
    expect(hidden.usage!.completion_tokens_details!.reasoning_tokens).toBe(visible.usage!.completion_tokens_details!.reasoning_tokens);
    expect(hidden.usage!.completion_tokens_details!.reasoning_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-moat-warnings')).toBeNull();
  });
});

describe('an Anthropic client of a self-hosted reasoning model', () => {
  it.each(FORMATS)('%s: no thinking block, only sealed redacted_thinking, stream and non-stream', async (model) => {
    const request = { model, max_tokens: 512, messages: [{ role: 'user' as const, content: 'Is 91 prime?' }] };
    const message = await anthropic(HIDDEN).messages.create(request);
    expect(message.content.map((b) => b.type)).toEqual(['redacted_thinking', 'text']);
    expect((message.content[0] as Anthropic.RedactedThinkingBlock).data).toMatch(/^moatveil1\./);
    const streamed = await anthropic(HIDDEN).messages.stream(request).finalMessage();
    expect(streamed.content.map((b) => b.type)).toEqual(['redacted_thinking', 'text']);
    expect((streamed.content[1] as Anthropic.TextBlock).text).toBe((message.content[1] as Anthropic.TextBlock).text);
    expect(JSON.stringify([message, streamed])).not.toMatch(/"thinking"|<think>/);
    const visible = await anthropic(VISIBLE).messages.create(request);
    expect(visible.content[0]!.type).toBe('thinking');
  });
});

describe('a `fields` model whose server leaves `<think>` tags in the text (parser off)', () => {
  it('still gives a hidden key no reasoning, stream and non-stream', async () => {
    const body = await openai(HIDDEN).chat.completions.create({ model: 'qwq-parser-off', messages: ask });
    const streamed = await openai(HIDDEN).chat.completions.stream({ model: 'qwq-parser-off', messages: ask, stream: true }).finalChatCompletion();
    for (const answer of [body, streamed]) {
      expect(answer.choices[0]!.message.content).toBe('Soft rain on the roof\nwhispers to the sleeping town\nmorning finds it gone');
      expect(JSON.stringify(answer)).not.toMatch(/think|haiku about rain/);
    }
  });
});

describe('edge cases of `<think>` text', () => {
  it.each([false, true])('an empty think block gives the answer alone; a stray `</think>` in the answer stays answer text (stream: %s)', async (stream) => {
    const answer = async (model: string) => {
      const completion = stream
        ? await openai(HIDDEN).chat.completions.stream({ model, messages: ask, stream: true }).finalChatCompletion()
        : await openai(HIDDEN).chat.completions.create({ model, messages: ask });
      expect(JSON.stringify(completion)).not.toMatch(/reasoning_content|reasoning_details|Think about tags/);
      return completion.choices[0]!.message.content;
    };
    expect(await answer('r1-text-empty-think')).toBe('The answer is 4.');
    expect(await answer('r1-text-stray-close')).toBe('Close the block with `</think>` and you are done.');
  });
});

describe('cut off inside the reasoning', () => {
  it('gives empty content and finish_reason length, never the reasoning — both APIs, stream and non-stream', async () => {
    const cut = await openai(HIDDEN).chat.completions.create({ model: 'qwq-cut', messages: ask });
    expect(cut.choices[0]!.finish_reason).toBe('length');
    expect(cut.choices[0]!.message.content ?? '').toBe('');
    expect(JSON.stringify(cut)).not.toContain('enumerate');
    const streamed = await openai(HIDDEN).chat.completions.stream({ model: 'qwq-cut', messages: ask, stream: true }).finalChatCompletion();
    expect(streamed.choices[0]!.finish_reason).toBe('length');
    expect(streamed.choices[0]!.message.content ?? '').toBe('');
    const message = await anthropic(HIDDEN).messages.create({ model: 'qwq-cut', max_tokens: 16, messages: [{ role: 'user', content: 'x' }] });
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content.filter((b) => b.type === 'text')).toEqual([]);
  });
});

describe('an Anthropic thinking tool loop under the veil', () => {
  const request = { ...(JSON.parse(anthropicFixtureBytes('messages-thinking-tools.request.json').toString()) as Anthropic.MessageCreateParamsNonStreaming), model: 'ant/fx-messages-thinking-tools' };
  const sentToAnthropic = () => JSON.parse(moat.anthropic.lastRequest().body.toString()) as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };

  it.each([false, true])('round-trips the thinking block through the sealed blob (stream: %s)', async (stream) => {
    const client = anthropic(HIDDEN);
    const first = stream ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
    expect(first.content.map((b) => b.type)).toEqual(['redacted_thinking', 'tool_use']);
    const blob = (first.content[0] as Anthropic.RedactedThinkingBlock).data;
    expect(blob).toMatch(/^moatveil1\./);
    const toolUse = first.content[1] as Anthropic.ToolUseBlock;
    const followUp = await client.messages.create({
      ...request,
      messages: [...request.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '52°F, light rain' }] }],
    });
    expect(followUp.stop_reason).toBe('end_turn');
    // Anthropic received its own thinking block back, signature intact (the fake verifies it).
    const restored = sentToAnthropic().messages[1]!.content[0]!;
    expect(restored.type).toBe('thinking');
    expect(restored.signature).toBe(moat.anthropic.sign(String(restored.thinking)));
    expect(JSON.stringify(followUp)).not.toMatch(/"thinking"/);
  });

  it('an OpenAI client gets only an encrypted reasoning detail, and the loop still works', async () => {
    const tools: OpenAI.Chat.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }];
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Should I bring an umbrella in Seattle today?' }];
    const first = await openai(HIDDEN).chat.completions.create({ model: 'ant/fx-messages-thinking-tools', reasoning_effort: 'low', tools, messages });
    const message = first.choices[0]!.message as Reasoned & { reasoning_details?: Array<{ type: string; data?: string }> };
    expect(message.reasoning_content).toBeUndefined();
    expect(message.reasoning_details!.map((d) => d.type)).toEqual(['reasoning.encrypted']);
    expect(message.reasoning_details![0]!.data).toMatch(/^moatveil1\./);
    const second = await openai(HIDDEN).chat.completions.create({
      model: 'ant/fx-messages-thinking-tools',
      reasoning_effort: 'low',
      tools,
      messages: [...messages, message, { role: 'tool', tool_call_id: message.tool_calls![0]!.id, content: 'rain' }],
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(sentToAnthropic().messages[1]!.content.map((b) => b.type)).toEqual(['thinking', 'tool_use']);

    // Streamed, Anthropic thinking reaches no chunk; the sealed detail comes whole, as in the body.
    const stream = await openai(HIDDEN).chat.completions.create({ model: 'ant/fx-messages-thinking', reasoning_effort: 'low', messages, stream: true });
    const details: unknown[] = [];
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string; reasoning_details?: Array<{ type: string; text?: string }> } | undefined;
      expect(delta?.reasoning_content).toBeUndefined();
      for (const detail of delta?.reasoning_details ?? []) {
        expect(detail.type).toBe('reasoning.encrypted');
        details.push(detail);
      }
    }
    expect(details.length).toBeGreaterThan(0);
  });

  it('refuses a tampered blob with a clear 400 in each API', async () => {
    const client = anthropic(HIDDEN);
    const first = await client.messages.create(request);
    const blob = (first.content[0] as Anthropic.RedactedThinkingBlock).data;
    const tampered = blob.slice(0, -6) + (blob.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
    const toolUse = first.content[1] as Anthropic.ToolUseBlock;
    const error = await client.messages
      .create({
        ...request,
        messages: [...request.messages, { role: 'assistant', content: [{ type: 'redacted_thinking', data: tampered }, toolUse] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'rain' }] }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(JSON.stringify((error as InstanceType<typeof Anthropic.BadRequestError>).error)).toMatch(/invalid_request_error.*reasoning blob in messages\[1\]/);
    const openaiError = await openai(HIDDEN)
      .chat.completions.create({
        model: 'r1-distill',
        messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', reasoning_details: [{ type: 'reasoning.encrypted', data: tampered }] } as OpenAI.Chat.ChatCompletionMessageParam, { role: 'user', content: 'q2' }],
      })
      .catch((e: unknown) => e);
    expect(openaiError).toBeInstanceOf(OpenAI.BadRequestError);
    expect((openaiError as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('reasoning_blob_invalid');
    expect(moat.anthropic.requests.length).toBeGreaterThan(0);
  });
});

describe('leak channels under hidden', () => {
  const refused = async (body: Record<string, unknown>) => {
    const error = await openai(HIDDEN).chat.completions.create({ model: 'r1-distill', messages: ask, ...body } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    return error as InstanceType<typeof OpenAI.BadRequestError>;
  };

  it('refuses logprobs, top_logprobs, logit_bias, n > 1, echo, chat_template_kwargs and prefill with 400 reasoning_param_refused', async () => {
    for (const [body, param] of [
      [{ logprobs: true }, 'logprobs'],
      [{ top_logprobs: 2 }, 'top_logprobs'],
      [{ logit_bias: { '1': 10 } }, 'logit_bias'],
      [{ n: 2 }, 'n'],
      [{ echo: true }, 'echo'],
      [{ chat_template_kwargs: { enable_thinking: false } }, 'chat_template_kwargs'],
      [{ messages: [...ask, { role: 'assistant', content: '</think>' }] }, 'messages[1]'],
    ] as const) {
      const error = await refused(body);
      expect(error.code).toBe('reasoning_param_refused');
      expect(error.param).toBe(param);
    }
    // The same options are the visible key's own business.
    await expect(openai(VISIBLE).chat.completions.create({ model: 'r1-distill', messages: ask, echo: true } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)).resolves.toBeTruthy();
    const prefill = await anthropic(HIDDEN)
      .messages.create({ model: 'r1-distill', max_tokens: 64, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'Here is my reasoning:' }] })
      .catch((e: unknown) => e);
    expect(prefill).toBeInstanceOf(Anthropic.BadRequestError);
    // Anthropic server tools need passthrough, which the veil rules out: refused, not silently dropped.
    const serverTool = await anthropic(HIDDEN)
      .messages.create({ model: 'ant/fx-messages-text', max_tokens: 64, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(serverTool).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((serverTool as Error).message)).toMatch(/server tool 'web_search_20250305'/);
  });

  it('forwards allow-listed extras and the tenant cache salt, drops unknown extras with a warning', async () => {
    const { response } = await openai(HIDDEN)
      .chat.completions.create({ model: 'r1-distill', messages: ask, top_k: 20, mirostat: 2 } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(response.headers.get('x-moat-warnings')).toContain("dropped 'mirostat'");
    const sent = JSON.parse(server.lastRequest().body.toString()) as Record<string, unknown>;
    expect(sent.top_k).toBe(20);
    expect(sent.mirostat).toBeUndefined();
    expect(sent.cache_salt).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('flags an answer that copies 12 words of the hidden reasoning, and not one that copies 11', async () => {
    const copied = await openai(HIDDEN).chat.completions.create({ model: 'copy-12', messages: ask });
    expect(copied.choices[0]!.message.content).toContain('one at a time');
    expect(JSON.stringify(copied)).not.toMatch(REASONING_FIELDS);
  });
});

describe('reasoning: summary', () => {
  it('streams the summariser model’s summary in place of the reasoning, while the answer streams', async () => {
    const model = 'slow-deepseek-reasoning';
    const stream = await openai(SUMMARISED).chat.completions.create({ model, messages: ask, stream: true });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
      content += chunk.choices[0]?.delta.content ?? '';
    }
    expect(reasoning).toBe(SUMMARY);
    const hidden = await openai(HIDDEN).chat.completions.create({ model: 'r1-reasoning-content', messages: ask });
    expect(content).toBe(hidden.choices[0]!.message.content);
    // The summariser was asked through Moat's provider, with the reasoning and a length cap.
    const asked = server.requests.map((r) => JSON.parse(r.body.toString()) as { model: string; max_tokens?: number; messages: Array<{ content: string }> }).find((b) => b.model === 'summariser')!;
    expect(asked.max_tokens).toBe(40);
    expect(asked.messages[1]!.content).toContain('91 = 7');
  });

  it('waits for a summary that arrives after the upstream has finished: streamed, and non-streamed', async () => {
    const model = 'r1-reasoning-content';
    const stream = await openai(SUMMARISED).chat.completions.create({ model, messages: ask, stream: true });
    let reasoning = '';
    for await (const chunk of stream) reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    expect(reasoning).toBe(SUMMARY);
    const whole = await openai(SUMMARISED).chat.completions.create({ model, messages: ask });
    expect((whole.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toBe(SUMMARY);
    const hidden = await openai(HIDDEN).chat.completions.create({ model, messages: ask });
    expect(whole.choices[0]!.message.content).toBe(hidden.choices[0]!.message.content);
  });
});
