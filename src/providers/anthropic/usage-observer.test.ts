import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { foldEvents } from '../../canonical/index.ts';
import { anthropicMessageToEvents } from './decode-response.ts';
import { AnthropicUsageObserver } from './usage-observer.ts';

const fixtures = new URL('./__fixtures__/', import.meta.url);
const read = (name: string): Buffer => readFileSync(new URL(name, fixtures));
const cases = readdirSync(fixtures)
  .filter((f) => /^messages-.*\.stream\.sse$/.test(f))
  .map((f) => f.replace(/\.stream\.sse$/, ''));
const expectedUsage = (name: string): unknown => foldEvents(anthropicMessageToEvents(JSON.parse(read(`${name}.response.json`).toString('utf8')))).usage;

/** The stream in whole events, as the relay hands them over. */
function wholeEvents(bytes: Buffer): Buffer[] {
  return bytes
    .toString('utf8')
    .split(/(?<=\n\n)/)
    .map((s) => Buffer.from(s));
}

describe('AnthropicUsageObserver', () => {
  it('has stream cases to read', () => {
    expect(cases.length).toBeGreaterThanOrEqual(9);
  });

  for (const name of cases) {
    it(`${name}: reads the final usage and the first token from the stream, and the usage from the body`, () => {
      const stream = new AnthropicUsageObserver();
      for (const chunk of wholeEvents(read(`${name}.stream.sse`))) stream.chunk(chunk);
      stream.end();
      expect(stream.usage).toEqual(expectedUsage(name));
      expect(stream.sawFirstToken).toBe(true);

      const body = new AnthropicUsageObserver();
      body.body(read(`${name}.response.json`));
      expect(body.usage).toEqual(expectedUsage(name));
    });
  }

  it('knows the input usage from message_start and no first token before content', () => {
    const observer = new AnthropicUsageObserver();
    const [messageStart] = wholeEvents(read('messages-cache.stream.sse'));
    observer.chunk(messageStart!);
    expect(observer.sawFirstToken).toBe(false);
    expect(observer.usage).toEqual({ inputTokens: 4 + 23 + 1183, outputTokens: 1, reasoningTokens: 0, cachedInputTokens: 1183, cacheWriteTokens: 23 });
    expect(observer.usageFinal).toBe(false);
  });

  it("calls the usage final from message_delta's output count on, or from a body", () => {
    const observer = new AnthropicUsageObserver();
    const events = wholeEvents(read('messages-text.stream.sse'));
    const delta = events.findIndex((e) => e.includes('event: message_delta'));
    for (const chunk of events.slice(0, delta)) observer.chunk(chunk);
    expect(observer.usageFinal).toBe(false);
    observer.chunk(events[delta]!);
    expect(observer.usageFinal).toBe(true);
    const body = new AnthropicUsageObserver();
    body.body(read('messages-text.response.json'));
    expect(body.usageFinal).toBe(true);
  });

  it('keeps the usage known before an error in the middle of a stream', () => {
    const observer = new AnthropicUsageObserver();
    observer.chunk(read('error-midstream.sse'));
    observer.end();
    expect(observer.sawFirstToken).toBe(true);
    expect(observer.usage).toEqual({ inputTokens: 27, outputTokens: 2, reasoningTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 });
    expect(observer.usageFinal).toBe(false);
  });

  it('counts a tool_use block start as the first token', () => {
    const observer = new AnthropicUsageObserver();
    observer.chunk(Buffer.from('event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}\n\n'));
    expect(observer.sawFirstToken).toBe(false);
    observer.chunk(Buffer.from('event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"n","input":{}}}\n\n'));
    expect(observer.sawFirstToken).toBe(true);
  });

  it('reads nothing from a body that is not JSON or lacks usage', () => {
    for (const text of ['<html>', '[]', '{"content":[]}']) {
      const observer = new AnthropicUsageObserver();
      observer.body(Buffer.from(text));
      expect(observer.usage).toBeNull();
    }
  });
});
