import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldEvents, type CanonicalEvent, type CanonicalRequest, type FinishReason, type Usage } from '../../canonical/index.ts';
import { AnthropicStreamDecoder } from '../../providers/anthropic/stream-decoder.ts';
import { encodeMessagesResponse } from './encode-response.ts';
import { startSdkTestServer, type SdkTestServer } from './sdk-test-server.ts';
import { createAnthropicStreamEncoder } from './stream-encoder.ts';
import { fixtureText, recordedEvents, recordedMessage, recordedRequest, reproducibleMessage, responseCases, type WireMessage } from './test-fixtures.ts';

/**
 * The dialect's two answers to the same events, read by the real `@anthropic-ai/sdk` over HTTP:
 * `messages.create()` on `encodeResponse(fold(events))` and `messages.stream().finalMessage()` on the
 * stream encoder's SSE must give the same Message.
 */
let server: SdkTestServer;
beforeAll(async () => {
  server = await startSdkTestServer();
});
afterAll(() => server.close());

const params = { model: 'client-model', max_tokens: 100, messages: [{ role: 'user' as const, content: 'hi' }] };

function encodeStream(events: CanonicalEvent[], request: CanonicalRequest): string {
  const encoder = createAnthropicStreamEncoder(request);
  return events.map((e) => encoder.push(e)).join('') + encoder.end();
}

function serve(events: CanonicalEvent[], request: CanonicalRequest): void {
  server.answer = (body) =>
    body.stream === true
      ? { status: 200, stream: true, body: encodeStream(events, request) }
      : { status: 200, body: encodeMessagesResponse(foldEvents(events), request) };
}

async function createAndStream(): Promise<{ created: WireMessage; streamed: WireMessage }> {
  const created = (await server.client.messages.create(params)) as unknown as WireMessage;
  // `parsed_output` is the SDK's structured-output helper field, added to every streamed message.
  const { parsed_output: _parsed, ...streamed } = (await server.client.messages.stream(params).finalMessage()) as unknown as WireMessage;
  return { created: { ...created }, streamed };
}

describe('the SDK reading the encoded recorded responses', () => {
  for (const name of responseCases) {
    it(`${name}: create() gives the recorded message and stream() the same`, async () => {
      serve(recordedEvents(name), recordedRequest(name));
      const { created, streamed } = await createAndStream();
      expect(created).toEqual(reproducibleMessage(recordedMessage(name)));
      expect(streamed).toEqual(created);
    });

    it(`${name}: the recorded stream, decoded and re-encoded, accumulates as the original does`, async () => {
      const events: CanonicalEvent[] = [];
      const decoder = new AnthropicStreamDecoder((e) => events.push(e));
      decoder.feed(new TextEncoder().encode(fixtureText(`${name}.stream.sse`)));
      decoder.end();
      const original = fixtureText(`${name}.stream.sse`);
      server.answer = () => ({ status: 200, stream: true, body: original });
      const fromRecording = (await server.client.messages.stream(params).finalMessage()) as unknown as WireMessage;
      server.answer = () => ({ status: 200, stream: true, body: encodeStream(events, recordedRequest(name)) });
      const reEncoded = (await server.client.messages.stream(params).finalMessage()) as unknown as WireMessage;
      expect(reproducibleMessage({ ...reEncoded })).toEqual(reproducibleMessage({ ...fromRecording }));
    });
  }
});

const request: CanonicalRequest = { model: 'client-model', stream: true, includeUsage: true, messages: [], options: {} };

const jsonValue = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null));
const toolInput = fc.dictionary(
  fc.string({ maxLength: 5 }).filter((k) => k !== '__proto__'),
  jsonValue,
  { maxKeys: 3 },
);

type Step =
  | { kind: 'text'; text: string }
  | { kind: 'think'; text: string }
  | { kind: 'sign'; signature: string }
  | { kind: 'redacted'; data: string }
  | { kind: 'tool'; id: string; name: string; input: Record<string, unknown>; cuts: number[] }
  | { kind: 'other-choice'; text: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), text: fc.string({ unit: 'grapheme', maxLength: 12 }) }),
  fc.record({ kind: fc.constant('think' as const), text: fc.string({ unit: 'grapheme', maxLength: 12 }) }),
  fc.record({ kind: fc.constant('sign' as const), signature: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('redacted' as const), data: fc.string({ minLength: 1, maxLength: 8 }) }),
  fc.record({
    kind: fc.constant('tool' as const),
    id: fc.string({ minLength: 1, maxLength: 6 }),
    name: fc.string({ minLength: 1, maxLength: 6 }),
    input: toolInput,
    cuts: fc.array(fc.nat({ max: 40 }), { maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('other-choice' as const), text: fc.string({ minLength: 1, maxLength: 4 }) }),
);

const usage: fc.Arbitrary<Usage> = fc.record({
  inputTokens: fc.nat({ max: 5000 }),
  outputTokens: fc.nat({ max: 5000 }),
  reasoningTokens: fc.nat({ max: 50 }),
  cachedInputTokens: fc.nat({ max: 3000 }),
  cacheWriteTokens: fc.nat({ max: 3000 }),
});

const scenario = fc.record({
  start: fc.option(fc.record({ id: fc.string({ maxLength: 8 }), model: fc.string({ maxLength: 8 }) })),
  steps: fc.array(step, { maxLength: 10 }),
  finish: fc.option(fc.record({ reason: fc.constantFrom<FinishReason>('stop', 'length', 'tool_calls', 'content_filter', 'other'), stopSequence: fc.option(fc.string({ maxLength: 4 })) })),
  usage: fc.option(usage),
  usageFirst: fc.boolean(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function scenarioEvents(s: Scenario): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  if (s.usage && s.usageFirst) events.push({ type: 'usage', usage: s.usage });
  if (s.start) events.push({ type: 'start', id: s.start.id, model: s.start.model, created: 0 });
  let toolIndex = 0;
  for (const st of s.steps) {
    if (st.kind === 'text') events.push({ type: 'text-delta', choice: 0, text: st.text });
    else if (st.kind === 'think') events.push({ type: 'reasoning-delta', choice: 0, text: st.text });
    else if (st.kind === 'sign') events.push({ type: 'reasoning-signature', choice: 0, signature: st.signature });
    else if (st.kind === 'redacted') events.push({ type: 'redacted-reasoning', choice: 0, data: st.data });
    else if (st.kind === 'other-choice') events.push({ type: 'text-delta', choice: 1, text: st.text });
    else {
      const json = JSON.stringify(st.input);
      const cuts = [0, ...st.cuts.map((c) => Math.min(c, json.length)).sort((a, b) => a - b), json.length];
      const index = toolIndex++;
      for (let i = 1; i < cuts.length; i++) {
        const piece = json.slice(cuts[i - 1], cuts[i]);
        events.push(i === 1 ? { type: 'tool-call-delta', choice: 0, index, id: st.id, name: st.name, argumentsDelta: piece } : { type: 'tool-call-delta', choice: 0, index, argumentsDelta: piece });
      }
    }
  }
  if (s.finish) events.push({ type: 'finish', choice: 0, reason: s.finish.reason, ...(s.finish.stopSequence !== null ? { stopSequence: s.finish.stopSequence } : {}) });
  if (s.usage && !s.usageFirst) events.push({ type: 'usage', usage: s.usage });
  return events;
}

describe('the SDK reading encoded canonical streams (property)', () => {
  it('accumulates the stream into the message create() returns', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        serve(scenarioEvents(s), request);
        const { created, streamed } = await createAndStream();
        expect(streamed).toEqual(created);
      }),
      { numRuns: 100 },
    );
  });
});
