import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/index.ts';
import { Gateway } from '../src/server/index.ts';
import { createLogger } from '../src/telemetry/index.ts';
import { EchoUpstream } from './support/echo-upstream.ts';
import { Writable } from 'node:stream';
import { policyKeysYaml } from './support/privacy-keys.ts';

/**
 * Privacy through the official SDKs, against an upstream that echoes what it received: the upstream
 * never sees an original value, and the client gets the originals back, streamed or not, in text and
 * in tool-call arguments.
 */
const VALUES = {
  person: 'Maria Kowalski',
  email: 'ana.ruiz@example.org',
  phone: '+1 415 555 2671',
  card: '4111 1111 1111 1111',
  iban: 'DE89 3704 0044 0532 0130 00',
  address: '742 Evergreen Terrace, Springfield, OR 97403',
  secret: 'sk-proj-Ab12Cd34Ef56Gh78Ij90T3BlbkFJKl12Mn34Op56Qr78',
};
const MESSAGE = `Hi, I am ${VALUES.person} (${VALUES.email}, ${VALUES.phone}). Bill card ${VALUES.card} or IBAN ${VALUES.iban}; ship to ${VALUES.address}. My key is ${VALUES.secret}. Quote "this" \\ exactly.`;

const KEYS = { redact: 'sk-moat-privacy-redact-0001', block: 'sk-moat-privacy-block-0002', log: 'sk-moat-privacy-log-00003', local: 'sk-moat-privacy-local-0004' };
const ALL_REDACT = 'email: redact, phone: redact, card: redact, iban: redact, ssn: redact, ip: redact, secret: redact, person: redact, address: redact';

let echo: EchoUpstream;
let gateway: Gateway;
let origin: string;

beforeAll(async () => {
  echo = new EchoUpstream();
  const url = await echo.start();
  const config = parseConfigText(
    `
${policyKeysYaml(KEYS)}
log: { level: silent }
providers:
  echo: { type: openai, baseUrl: "${url}", apiKeyEnv: ECHO_KEY }
  echo-anthropic: { type: anthropic, baseUrl: "${url}", apiKeyEnv: ECHO_KEY }
  dead: { type: openai-compatible, baseUrl: "http://127.0.0.1:9/v1" }
models:
  - { name: local-llm, provider: dead, model: llama, tier: local }
  - { name: premium-llm, provider: echo, model: gpt-x, tier: premium }
  - { name: claude-x, provider: echo-anthropic, model: claude-x }
  - { name: "*", provider: echo }
routes:
  - { name: private, targets: [local-llm, premium-llm] }
  - { name: premium-only, targets: [premium-llm] }
privacy:
  policies:
    - { key: "config:blocker", entities: { secret: block, email: redact } }
    - { key: "config:logger", entities: { email: log } }
    - { key: "config:keeper", entities: { secret: local-only, email: redact } }
    - { entities: { ${ALL_REDACT} } }
`,
    'test',
    { ECHO_KEY: 'sk-echo' },
  );
  const sink = new Writable({ write: (_c, _e, done) => done() });
  gateway = new Gateway({ config, env: { ECHO_KEY: 'sk-echo' }, logger: createLogger('silent', sink) });
  origin = (await gateway.listen(0, '127.0.0.1')).url;
});
afterAll(async () => {
  await gateway.shutdown(200);
  await echo.stop();
});

const openai = (key = KEYS.redact) => new OpenAI({ baseURL: `${origin}/v1`, apiKey: key, maxRetries: 0 });
const anthropic = (key = KEYS.redact) => new Anthropic({ baseURL: origin, apiKey: key, maxRetries: 0 });
const TOOLS: OpenAI.Chat.ChatCompletionTool[] = [{ type: 'function', function: { name: 'send', parameters: { type: 'object', properties: { text: { type: 'string' } } } } }];

/** Every request body the upstream received since `from`, as text. */
function upstreamSawSince(from: number): string {
  return echo.requests.slice(from).map((r) => r.body.toString('utf8')).join('\n');
}

function expectNoOriginals(seen: string): void {
  expect(seen.length).toBeGreaterThan(0);
  for (const [type, value] of Object.entries(VALUES)) {
    expect(seen, `${type} reached the upstream`).not.toContain(value);
    expect(seen, `${type} reached the upstream JSON-escaped`).not.toContain(JSON.stringify(value).slice(1, -1));
  }
  for (const tag of ['PERSON', 'EMAIL', 'PHONE', 'CARD', 'IBAN', 'ADDRESS', 'SECRET']) expect(seen).toContain(`[${tag}_1]`);
}

describe('redact and restore, OpenAI SDK', () => {
  it('non-streamed text', async () => {
    const from = echo.requests.length;
    const answer = await openai().chat.completions.create({ model: 'gpt-x', messages: [{ role: 'system', content: `Reach ops at ${VALUES.email}.` }, { role: 'user', content: MESSAGE }] });
    expectNoOriginals(upstreamSawSince(from));
    expect(answer.choices[0]!.message.content).toBe(MESSAGE);
  });

  it('streamed text, placeholders cut across chunks', async () => {
    const from = echo.requests.length;
    const stream = await openai().chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: MESSAGE }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expectNoOriginals(upstreamSawSince(from));
    expect(text).toBe(MESSAGE);
  });

  it('tool-call arguments, streamed and not', async () => {
    const from = echo.requests.length;
    const plain = await openai().chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: MESSAGE }], tools: TOOLS });
    expect(JSON.parse(plain.choices[0]!.message.tool_calls![0]!.type === 'function' ? plain.choices[0]!.message.tool_calls![0]!.function.arguments : '{}')).toEqual({ text: MESSAGE });
    const stream = await openai().chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: MESSAGE }], tools: TOOLS, stream: true });
    let args = '';
    for await (const chunk of stream) args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
    expect(JSON.parse(args)).toEqual({ text: MESSAGE });
    expectNoOriginals(upstreamSawSince(from));
  });

  it('tool results and earlier tool arguments the client sends back are redacted too, with the same placeholders', async () => {
    const from = echo.requests.length;
    await openai().chat.completions.create({
      model: 'gpt-x',
      messages: [
        { role: 'user', content: `Find ${VALUES.email}` },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'send', arguments: JSON.stringify({ text: VALUES.email }) } }] },
        { role: 'tool', tool_call_id: 'c1', content: `Found ${VALUES.person}, card ${VALUES.card}` },
        { role: 'user', content: 'thanks' },
      ],
    });
    const seen = upstreamSawSince(from);
    for (const value of [VALUES.email, VALUES.person, VALUES.card]) expect(seen).not.toContain(value);
    const body = JSON.parse(seen) as { messages: Array<{ content: unknown; tool_calls?: Array<{ function: { arguments: string } }> }> };
    expect(body.messages[0]!.content).toBe('Find [EMAIL_1]');
    expect(JSON.parse(body.messages[1]!.tool_calls![0]!.function.arguments)).toEqual({ text: '[EMAIL_1]' });
    expect(body.messages[2]!.content).toBe('Found [PERSON_1], card [CARD_1]');
  });

  it('keeps placeholders stable across the turns of a conversation', async () => {
    const first = echo.requests.length;
    const turn1 = await openai().chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: MESSAGE }] });
    const turn1Upstream = JSON.parse(upstreamSawSince(first)) as { messages: Array<{ content: string }> };
    const second = echo.requests.length;
    await openai().chat.completions.create({
      model: 'gpt-x',
      messages: [{ role: 'user', content: MESSAGE }, { role: 'assistant', content: turn1.choices[0]!.message.content }, { role: 'user', content: `And ${VALUES.email} again, plus bo@example.net` }],
    });
    const turn2Upstream = JSON.parse(upstreamSawSince(second)) as { messages: Array<{ content: string }> };
    expect(turn2Upstream.messages[0]!.content).toBe(turn1Upstream.messages[0]!.content);
    expect(turn2Upstream.messages[1]!.content).toBe(turn1Upstream.messages[0]!.content);
    expect(turn2Upstream.messages[2]!.content).toBe('And [EMAIL_1] again, plus [EMAIL_2]');
  });
});

describe('redact and restore, Anthropic SDK', () => {
  const params = { model: 'gpt-x', max_tokens: 256, system: `Escalate to ${VALUES.email}`, messages: [{ role: 'user' as const, content: MESSAGE }] };

  it('non-streamed and streamed text', async () => {
    const from = echo.requests.length;
    const plain = await anthropic().messages.create(params);
    expect(plain.content).toEqual([{ type: 'text', text: MESSAGE, citations: null }].map(({ citations: _c, ...b }) => expect.objectContaining(b)));
    const streamed = await anthropic().messages.stream(params).finalMessage();
    expect(streamed.content[0]).toMatchObject({ type: 'text', text: MESSAGE });
    expectNoOriginals(upstreamSawSince(from));
  });

  it('tool_use input, streamed and not', async () => {
    const from = echo.requests.length;
    const withTools = { ...params, tools: [{ name: 'send', input_schema: { type: 'object' as const, properties: { text: { type: 'string' } } } }] };
    const plain = await anthropic().messages.create(withTools);
    expect(plain.content.find((b) => b.type === 'tool_use')).toMatchObject({ input: { text: MESSAGE } });
    const streamed = await anthropic().messages.stream(withTools).finalMessage();
    expect(streamed.content.find((b) => b.type === 'tool_use')).toMatchObject({ input: { text: MESSAGE } });
    expectNoOriginals(upstreamSawSince(from));
  });
});

describe('block, log and local-only', () => {
  it('block: 400 pii_blocked naming the type, never the value; nothing sent upstream', async () => {
    const from = echo.requests.length;
    const error = (await openai(KEYS.block).chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: MESSAGE }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.code).toBe('pii_blocked');
    expect(error.param).toBe('privacy.secret');
    expect(JSON.stringify(error.error)).not.toContain(VALUES.secret);
    const anthropicError = (await anthropic(KEYS.block).messages.create({ model: 'gpt-x', max_tokens: 10, messages: [{ role: 'user', content: MESSAGE }] }).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>;
    expect(anthropicError).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String(anthropicError.message)).toMatch(/`secret`/);
    expect(echo.requests.length).toBe(from);
  });

  it('log: the request goes through unchanged', async () => {
    const from = echo.requests.length;
    const answer = await openai(KEYS.log).chat.completions.create({ model: 'gpt-x', messages: [{ role: 'user', content: `mail ${VALUES.email}` }] });
    expect(upstreamSawSince(from)).toContain(VALUES.email);
    expect(answer.choices[0]!.message.content).toBe(`mail ${VALUES.email}`);
  });

  it('local-only with the local tier down: a clear error, and nothing sent to the premium tier', async () => {
    const from = echo.requests.length;
    const ask = (model: string) =>
      openai(KEYS.local).chat.completions.create({ model, messages: [{ role: 'user', content: MESSAGE }] }).catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    // A route with no local target at all.
    const none = await ask('premium-only');
    expect(none).toMatchObject({ status: 503, code: 'no_local_target' });
    expect(String((none as Error).message)).toMatch(/must stay on the local tier \(privacy policy: secret found\)/);
    // A route whose local target is down: `no_local_target` naming the local failure (and, once the
    // breaker opens, at once); the premium target behind it is never tried.
    for (let i = 0; i < 8; i++) {
      const down = await ask('private');
      expect(down).toMatchObject({ status: 503, code: 'no_local_target' });
      expect(String((down as Error).message)).toMatch(/no local target of 'private' (answered \(the last failed with upstream_unreachable\)|is available now)/);
    }
    expect(echo.requests.length).toBe(from);
    // Without the secret the same key's request may go premium (its email is redacted there).
    const answer = await openai(KEYS.local).chat.completions.create({ model: 'premium-only', messages: [{ role: 'user', content: `mail ${VALUES.email}` }] });
    expect(answer.choices[0]!.message.content).toBe(`mail ${VALUES.email}`);
    expect(upstreamSawSince(from)).not.toContain(VALUES.email);
  });
});

describe('embeddings and token counting', () => {
  it('embeddings: the upstream embeds placeholders, never the values', async () => {
    const from = echo.requests.length;
    const single = await openai().embeddings.create({ model: 'text-embed', input: `write to ${VALUES.email}` });
    expect(single.data).toHaveLength(1);
    const many = await openai().embeddings.create({ model: 'text-embed', input: [`key ${VALUES.secret}`, 'nothing here', `again ${VALUES.email}`] });
    expect(many.data).toHaveLength(3);
    const seen = upstreamSawSince(from);
    expect(seen).not.toContain(VALUES.email);
    expect(seen).not.toContain(VALUES.secret);
    expect(seen).toContain('[EMAIL_1]');
    expect(seen).toContain('nothing here');
    // Blocked before anything is sent.
    const blocked = await openai(KEYS.block).embeddings.create({ model: 'text-embed', input: `key ${VALUES.secret}` }).catch((e: unknown) => e);
    expect(blocked).toMatchObject({ status: 400, code: 'pii_blocked' });
  });

  it('count_tokens: under a policy that acts, Moat counts itself and the Anthropic upstream sees nothing', async () => {
    const from = echo.requests.length;
    const { data, response } = await anthropic().messages.countTokens({ model: 'claude-x', messages: [{ role: 'user', content: MESSAGE }] }).withResponse();
    expect(data.input_tokens).toBeGreaterThan(20);
    expect(response.headers.get('x-moat-warnings')).toMatch(/privacy policy keeps this request from the upstream/);
    expect(echo.requests.length).toBe(from);
    // With nothing found, the upstream counts.
    const plain = await anthropic().messages.countTokens({ model: 'claude-x', messages: [{ role: 'user', content: 'nothing personal' }] });
    expect(plain.input_tokens).toBe(42);
  });
});
