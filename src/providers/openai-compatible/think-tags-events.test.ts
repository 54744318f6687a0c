import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../canonical/index.ts';
import { splitThinkTagEvents } from './think-tags-events.ts';
import type { ThinkTagMode } from './think-tags.ts';

function transform(mode: ThinkTagMode, input: CanonicalEvent[], end = true): CanonicalEvent[] {
  const out: CanonicalEvent[] = [];
  const splitter = splitThinkTagEvents(mode, (e) => out.push(e));
  for (const e of input) splitter.push(e);
  if (end) splitter.end();
  return out;
}

const text = (choice: number, t: string): CanonicalEvent => ({ type: 'text-delta', choice, text: t });
const reasoning = (choice: number, t: string): CanonicalEvent => ({ type: 'reasoning-delta', choice, text: t });

describe('splitThinkTagEvents', () => {
  it('keeps one splitter per choice and flushes a choice before its finish', () => {
    const start: CanonicalEvent = { type: 'start', id: 'c1', model: 'r1', created: 1 };
    const usage: CanonicalEvent = {
      type: 'usage',
      usage: { inputTokens: 5, outputTokens: 9, reasoningTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 },
    };
    const out = transform('think-tags', [
      start,
      text(0, '<think>'),
      text(1, '<th'),
      text(0, 'plan</th'),
      text(1, 'ink>x'),
      text(0, 'ink>\n\nAns'),
      text(1, ' is 1.</thi'),
      { type: 'finish', choice: 1, reason: 'length' },
      text(0, 'wer'),
      { type: 'finish', choice: 0, reason: 'stop' },
      usage,
    ]);
    expect(out).toEqual([
      start,
      reasoning(0, 'plan'),
      reasoning(1, 'x'),
      text(0, 'Ans'),
      reasoning(1, ' is 1.'),
      // choice 1 ended inside its think block: the held `</thi` is reasoning, the finish reason is kept.
      reasoning(1, '</thi'),
      { type: 'finish', choice: 1, reason: 'length' },
      text(0, 'wer'),
      { type: 'finish', choice: 0, reason: 'stop' },
      usage,
    ]);
  });

  it('flushes held text before a finish that arrives in the middle of text', () => {
    const out = transform('think-tags', [text(0, ' '), text(0, '<thi'), { type: 'finish', choice: 0, reason: 'stop' }], false);
    expect(out).toEqual([text(0, ' <thi'), { type: 'finish', choice: 0, reason: 'stop' }]);
  });

  it('keeps an upstream `stop` for an unterminated think block', () => {
    const out = transform('think-tags-open', [text(0, 'thinking…'), { type: 'finish', choice: 0, reason: 'stop' }]);
    expect(out).toEqual([reasoning(0, 'thinking…'), { type: 'finish', choice: 0, reason: 'stop' }]);
  });

  it('flushes every open choice, in choice order, at end()', () => {
    const out = transform('think-tags-open', [text(2, 'b</'), text(0, 'a</think'), text(1, 'c')]);
    expect(out).toEqual([reasoning(2, 'b'), reasoning(0, 'a'), reasoning(1, 'c'), reasoning(0, '</think'), reasoning(2, '</')]);
  });

  it('passes other events through unchanged and skips empty deltas', () => {
    const events: CanonicalEvent[] = [
      reasoning(0, 'from the server parser'),
      { type: 'tool-call-delta', choice: 0, index: 0, id: 't1', name: 'f', argumentsDelta: '{}' },
      { type: 'error', message: 'boom' },
    ];
    expect(transform('think-tags', [text(0, ''), ...events, text(0, '')])).toEqual(events);
  });
});
