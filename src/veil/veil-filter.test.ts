import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../canonical/index.ts';
import { splitThinkTagEvents } from '../providers/openai-compatible/index.ts';
import { copiesReasoning } from './copy-detector.ts';
import { VeilFilter, type BlobMode } from './veil-filter.ts';

function run(events: CanonicalEvent[], blobs: BlobMode = 'none', span = 12): { out: CanonicalEvent[]; flags: string[] } {
  const out: CanonicalEvent[] = [];
  const flags: string[] = [];
  const filter = new VeilFilter({ blobs, seal: (p) => `sealed:${p.type === 'reasoning' ? p.text : p.data}`, copySpanWords: span, flag: (f) => flags.push(f) });
  for (const e of events) filter.push(e, (x) => out.push(x));
  filter.end((x) => out.push(x));
  return { out, flags };
}

/** Raw model text through the `<think>` splitter, as the openai-compatible provider decodes it. */
function tagged(mode: 'think-tags' | 'think-tags-open', chunks: string[], finish: 'stop' | 'length'): CanonicalEvent[] {
  const out: CanonicalEvent[] = [];
  const split = splitThinkTagEvents(mode, (e) => out.push(e));
  for (const text of chunks) split.push({ type: 'text-delta', choice: 0, text });
  split.push({ type: 'finish', choice: 0, reason: finish });
  split.end();
  return out;
}

const text = (t: string): CanonicalEvent => ({ type: 'text-delta', choice: 0, text: t });
const reasoning = (t: string): CanonicalEvent => ({ type: 'reasoning-delta', choice: 0, text: t });

describe('VeilFilter', () => {
  it('drops reasoning and signatures, keeps everything else in order', () => {
    const tool: CanonicalEvent = { type: 'tool-call-delta', choice: 0, index: 0, id: 't', name: 'f', argumentsDelta: '{}' };
    const { out } = run([{ type: 'start', id: 'a', model: 'm', created: 1 }, reasoning('secret'), { type: 'reasoning-signature', choice: 0, signature: 'sig' }, text('Hi'), tool, { type: 'finish', choice: 0, reason: 'tool_calls' }]);
    expect(out).toEqual([{ type: 'start', id: 'a', model: 'm', created: 1 }, text('Hi'), tool, { type: 'finish', choice: 0, reason: 'tool_calls' }]);
  });

  it('seals each reasoning part where it ends: every part for Anthropic clients, signed or redacted ones for OpenAI clients', () => {
    const events: CanonicalEvent[] = [reasoning('a'), reasoning('b'), { type: 'reasoning-signature', choice: 0, signature: 's' }, { type: 'redacted-reasoning', choice: 0, data: 'R' }, reasoning('c'), text('x')];
    const blobs = (mode: BlobMode) => run(events, mode).out.flatMap((e) => (e.type === 'redacted-reasoning' ? [e.data] : []));
    expect(blobs('all')).toEqual(['sealed:ab', 'sealed:R', 'sealed:c']);
    expect(blobs('signed')).toEqual(['sealed:ab', 'sealed:R']);
    expect(blobs('none')).toEqual([]);
  });

  it('cut off inside the reasoning: no content, the upstream finish reason `length`', () => {
    const { out } = run(tagged('think-tags-open', ['Let x be', ' 1, then</th'], 'length'));
    expect(out).toEqual([{ type: 'finish', choice: 0, reason: 'length' }]);
  });

  it('an empty think block gives the answer only', () => {
    const { out } = run(tagged('think-tags', ['<think>\n\n</think>\n\n', 'Answer'], 'stop'));
    expect(out).toEqual([text('Answer'), { type: 'finish', choice: 0, reason: 'stop' }]);
  });

  it('a stray `</think>` inside the answer is answer text', () => {
    const { out } = run(tagged('think-tags-open', ['r</think>Close it with ', '</think> like this.'], 'stop'));
    expect(out.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text).join('')).toBe('Close it with </think> like this.');
  });

  it('flags an answer or tool argument that copies 12 words of the reasoning, once', () => {
    const thought = 'first we note that the ball costs five cents because the bat costs one dollar more than it';
    const copied = run([reasoning(thought), text('As I thought: we note that the ball costs five cents because the bat costs one dollar.'), { type: 'finish', choice: 0, reason: 'stop' }]);
    expect(copied.flags).toEqual(['reasoning_copied']);
    const inTool = run([reasoning(thought), { type: 'tool-call-delta', choice: 0, index: 0, argumentsDelta: '{"note":"We note that the ball costs five cents, because the bat costs one dollar more"}' }]);
    expect(inTool.flags).toEqual(['reasoning_copied']);
    const short = run([reasoning(thought), text('The ball costs five cents because the bat costs more.')]);
    expect(short.flags).toEqual([]);
  });
});

describe('copiesReasoning', () => {
  it('ignores case and punctuation, and needs the whole span', () => {
    const r = 'One two three four five six seven eight nine ten eleven twelve thirteen';
    expect(copiesReasoning(r, ['ONE, two; three four five six seven eight nine ten eleven twelve!'], 12)).toBe(true);
    expect(copiesReasoning(r, ['one two three four five six seven eight nine ten eleven'], 12)).toBe(false);
    expect(copiesReasoning(r, ['two three four five six'], 5)).toBe(true);
    expect(copiesReasoning('short', ['short'], 12)).toBe(false);
  });
});

describe('VeilFilter with a summariser', () => {
  it('asks once per choice when its reasoning ends, and emits the summary as that choice’s reasoning', async () => {
    const asked: string[] = [];
    const out: CanonicalEvent[] = [];
    const filter = new VeilFilter({
      blobs: 'none',
      seal: () => '',
      copySpanWords: 12,
      flag: () => {},
      summarise: async (r) => {
        asked.push(r);
        return 'It checked small factors.';
      },
    });
    const emit = (e: CanonicalEvent) => out.push(e);
    for (const e of [reasoning('91 = 7'), reasoning(' × 13'), text('No'), text('.')]) filter.push(e, emit);
    await filter.settled();
    filter.push({ type: 'finish', choice: 0, reason: 'stop' }, emit);
    filter.end(emit);
    expect(asked).toEqual(['91 = 7 × 13']);
    expect(out).toEqual([text('No'), text('.'), reasoning('It checked small factors.'), { type: 'finish', choice: 0, reason: 'stop' }]);
  });

  it('drops a summary that arrives after the answer ended, and reports a failed one', async () => {
    const out: CanonicalEvent[] = [];
    const errors: unknown[] = [];
    let release: (s: string) => void = () => {};
    const late = new VeilFilter({ blobs: 'none', seal: () => '', copySpanWords: 12, flag: () => {}, summarise: () => new Promise((r) => (release = r)) });
    late.push(reasoning('r'), (e) => out.push(e));
    late.push(text('a'), (e) => out.push(e));
    late.end((e) => out.push(e));
    release('too late');
    await late.settled();
    expect(out).toEqual([text('a')]);
    const failing = new VeilFilter({ blobs: 'none', seal: () => '', copySpanWords: 12, flag: () => {}, summarise: () => Promise.reject(new Error('timeout')), onSummaryError: (e) => errors.push(e) });
    failing.push(reasoning('r'), () => {});
    failing.end(() => {});
    await failing.settled();
    expect(errors).toHaveLength(1);
  });
});
