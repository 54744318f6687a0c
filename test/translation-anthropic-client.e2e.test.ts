import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { loadTokenCounter } from '../src/tokens/index.ts';
import { fixtureJson } from './support/fixtures.ts';
import { CLIENT_KEY, startTestGateway, TEST_ENV, testConfigYaml, type TestGateway } from './support/start-gateway.ts';

/**
 * The official Anthropic client → Moat → OpenAI-shaped upstreams (OpenAI itself, and OpenAI-compatible
 * servers whose reasoning comes in fields or in <think> tags).
 */
let moat: TestGateway;
let client: Anthropic;

const EXTRA_MODELS = `
  - { name: "compat-deepseek", provider: limited, model: fx-deepseek-reasoning }
  - { name: "compat-think", provider: limited, model: fx-think-tags, reasoningFormat: think-tags }
  - { name: "compat-think-open", provider: limited, model: fx-think-tags-open, reasoningFormat: think-tags-open }
  - { name: "compat-think-cut", provider: limited, model: fx-think-tags-truncated, reasoningFormat: think-tags }`;

beforeAll(async () => {
  moat = await startTestGateway({
    config: (url, anthropicUrl) => parseConfigText(testConfigYaml(url, anthropicUrl).replace('models:\n', `models:${EXTRA_MODELS}\n`), 'test', TEST_ENV),
  });
  client = new Anthropic({ baseURL: moat.origin, apiKey: CLIENT_KEY, maxRetries: 0 });
});
afterAll(() => moat.close());

const sentToUpstream = () => JSON.parse(moat.upstream.lastRequest().body.toString()) as Record<string, unknown>;

type Params = Anthropic.MessageCreateParamsNonStreaming;

/** A request and its streamed twin; the two answers must be equal. */
async function both(params: Params): Promise<Anthropic.Message> {
  const plain = await client.messages.create(params);
  // finalMessage() adds `parsed_output` (structured-output parsing) on its own; the wire has no such field.
  const { parsed_output: _parsed, ...streamed } = (await client.messages.stream(params).finalMessage()) as Anthropic.Message & { parsed_output?: unknown };
  expect(streamed).toEqual(plain);
  return plain;
}

describe('Anthropic client → OpenAI upstream', () => {
  it('text, stream and non-stream equal, usage translated', async () => {
    const message = await both({ model: 'fx-chat-text', max_tokens: 200, system: 'Be brief.', messages: [{ role: 'user', content: 'Capital of France?' }] });
    const upstream = fixtureJson<{ choices: Array<{ message: { content: string } }>; usage: { prompt_tokens: number; completion_tokens: number } }>('chat-text.response.json');
    expect(message.content).toEqual([{ type: 'text', text: upstream.choices[0]!.message.content, citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBe(upstream.usage.prompt_tokens);
    expect(message.usage.output_tokens).toBe(upstream.usage.completion_tokens);
    const sent = sentToUpstream();
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    expect(sent.stream_options).toEqual({ include_usage: true });
  });

  it('parallel tool calls become tool_use blocks with parsed input', async () => {
    const tools: Anthropic.Tool[] = [
      { name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string' } } } },
      { name: 'get_time', input_schema: { type: 'object', properties: { timezone: { type: 'string' } } } },
    ];
    const message = await both({ model: 'fx-chat-parallel-tools', max_tokens: 300, tools, tool_choice: { type: 'auto' }, messages: [{ role: 'user', content: 'Weather in Paris and time in Tokyo?' }] });
    const uses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(uses.map((u) => [u.name, u.input])).toEqual([
      ['get_weather', { location: 'Paris, France', unit: 'celsius' }],
      ['get_time', { timezone: 'Asia/Tokyo' }],
    ]);
    expect(message.stop_reason).toBe('tool_use');
    const sent = sentToUpstream();
    expect(sent.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather now', parameters: tools[0]!.input_schema } },
      { type: 'function', function: { name: 'get_time', parameters: tools[1]!.input_schema } },
    ]);
    expect(sent.tool_choice).toBe('auto');

    // The tool-result round trip: the upstream checks each tool message answers a tool call.
    const followUp = await client.messages.create({
      model: 'fx-chat-text',
      max_tokens: 300,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris and time in Tokyo?' },
        { role: 'assistant', content: message.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: uses[0]!.id, content: '18°C, cloudy' },
            { type: 'tool_result', tool_use_id: uses[1]!.id, content: [{ type: 'text', text: '21:04' }] },
            { type: 'text', text: 'Summarise.' },
          ],
        },
      ],
    });
    expect(followUp.stop_reason).toBe('end_turn');
    const sentMessages = sentToUpstream().messages as Array<Record<string, unknown>>;
    expect(sentMessages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'user']);
    expect(sentMessages[2]).toEqual({ role: 'tool', tool_call_id: uses[0]!.id, content: '18°C, cloudy' });
    expect((sentMessages[1]!.tool_calls as unknown[]).length).toBe(2);
  });

  it('a thinking budget becomes reasoning_effort for a reasoning model; reasoning tokens stay in output', async () => {
    const message = await both({ model: 'reasoner', max_tokens: 4000, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: 'Is 1013 prime?' }] });
    const sent = sentToUpstream();
    expect(sent.reasoning_effort).toBe('low');
    expect(sent.max_completion_tokens).toBe(4000);
    expect(message.usage.output_tokens).toBe(1216);
    expect(message.content.map((b) => b.type)).toEqual(['text']);
  });

  it('reasoning_content from a compatible server becomes a thinking block', async () => {
    const message = await both({ model: 'compat-deepseek', max_tokens: 500, messages: [{ role: 'user', content: 'Is 91 prime?' }] });
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user asks whether 91 is prime. 91 = 7 × 13, so it is not prime.', signature: '' },
      { type: 'text', text: 'No — 91 = 7 × 13.', citations: null },
    ]);
  });

  it('<think> tags split across chunks become a thinking block, in both template styles', async () => {
    // Moat counts the reasoning these servers leave uncounted: with o200k once loaded, so load it first
    // for the stream and the body to be counted alike (docs/veil.md).
    await loadTokenCounter();
    const tagged = await both({ model: 'compat-think', max_tokens: 500, messages: [{ role: 'user', content: 'A haiku about rain.' }] });
    expect(tagged.content).toEqual([
      { type: 'thinking', thinking: '\nThe user wants a haiku about rain. Five, seven, five.\n', signature: '' },
      { type: 'text', text: 'Soft rain on the roof\nwhispers to the sleeping town\nmorning finds it gone', citations: null },
    ]);
    const open = await both({ model: 'compat-think-open', max_tokens: 500, messages: [{ role: 'user', content: '17*3+4?' }] });
    expect(open.content).toEqual([
      { type: 'thinking', thinking: 'Okay, 17 times 3 is 51, plus 4 is 55.\n', signature: '' },
      { type: 'text', text: 'The answer is 55.', citations: null },
    ]);
  });

  it('output cut off inside the reasoning gives no text and stop_reason max_tokens', async () => {
    const message = await both({ model: 'compat-think-cut', max_tokens: 16, messages: [{ role: 'user', content: 'Enumerate.' }] });
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content.filter((b) => b.type === 'text')).toEqual([]);
  });

  it('upstream errors come back in Anthropic shape', async () => {
    const error = await client.messages.create({ model: 'status-429', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toBe('7');
    const notFound = await client.messages.create({ model: 'status-404', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(notFound).toBeInstanceOf(Anthropic.NotFoundError);
  });
});
