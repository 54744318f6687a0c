import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../canonical/index.ts';
import { PlaceholderMap } from './placeholders.ts';
import { restoreText, StreamRestorer } from './restore.ts';
import { RestoreFilter } from './restore-filter.ts';
import { splitAt } from '../../test/support/split-at.ts';

function mapWith(values: Array<['email' | 'person' | 'secret', string]>): PlaceholderMap {
  const map = new PlaceholderMap();
  for (const [type, value] of values) map.placeholderFor(type, value);
  return map;
}

const MAP = mapWith([
  ['email', 'ana@example.org'],
  ['person', 'Ana "Ruiz"\nSr.'],
  ['secret', 'sk-ant-api03-xyz'],
]);
const UPSTREAM = 'Hi [PERSON_1], I wrote to [EMAIL_1] ([EMAIL_2] is unknown) and [ no [EMAIL_ tail [SECRET_1][EMAIL_1]';
const EXPECTED = 'Hi Ana "Ruiz"\nSr., I wrote to ana@example.org ([EMAIL_2] is unknown) and [ no [EMAIL_ tail sk-ant-api03-xyzana@example.org';

describe('restoring placeholders', () => {
  it('restores known placeholders and leaves unknown ones and brackets alone', () => {
    expect(restoreText(UPSTREAM, MAP)).toBe(EXPECTED);
  });

  it('gives the same text for every split of the upstream stream', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (offsets) => {
        const restorer = new StreamRestorer(MAP, 'text');
        const out = splitAt(UPSTREAM, offsets).map((p) => restorer.push(p)).join('') + restorer.flush();
        expect(out).toBe(EXPECTED);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same events for every split of text and tool-call arguments, with values JSON-escaped in arguments', () => {
    const args = JSON.stringify({ to: '[EMAIL_1]', name: '[PERSON_1]' });
    const expectedArgs = JSON.stringify({ to: 'ana@example.org', name: 'Ana "Ruiz"\nSr.' });
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 20 }), (textCuts, argCuts) => {
        const filter = new RestoreFilter(MAP);
        const out: CanonicalEvent[] = [];
        const emit = (e: CanonicalEvent): void => {
          out.push(e);
        };
        for (const text of splitAt(UPSTREAM, textCuts)) filter.push({ type: 'text-delta', choice: 0, text }, emit);
        splitAt(args, argCuts).forEach((argumentsDelta, i) => {
          filter.push({ type: 'tool-call-delta', choice: 0, index: 0, ...(i === 0 ? { id: 'call_1', name: 'send' } : {}), argumentsDelta }, emit);
        });
        filter.push({ type: 'finish', choice: 0, reason: 'tool_calls' }, emit);
        filter.end(emit);
        const text = out.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
        const toolEvents = out.filter((e) => e.type === 'tool-call-delta');
        expect(text).toBe(EXPECTED);
        expect(toolEvents.map((e) => e.argumentsDelta).join('')).toBe(expectedArgs);
        expect(toolEvents[0]).toMatchObject({ id: 'call_1', name: 'send' });
        // Order is kept: all text before the call, the finish last.
        const firstTool = out.findIndex((e) => e.type === 'tool-call-delta');
        expect(out.slice(firstTool).some((e) => e.type === 'text-delta')).toBe(false);
        expect(out.at(-1)!.type).toBe('finish');
      }),
      { numRuns: 1000 },
    );
  });

  it('never hands out a placeholder the client wrote itself', () => {
    const map = new PlaceholderMap();
    map.reserveFrom('my template uses [EMAIL_1] literally');
    expect(map.placeholderFor('email', 'bo@example.com')).toBe('[EMAIL_2]');
    expect(restoreText('[EMAIL_1] / [EMAIL_2]', map)).toBe('[EMAIL_1] / bo@example.com');
  });

  it('restores choices streamed interleaved (n > 1) independently', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 20 }), fc.array(fc.boolean(), { maxLength: 80 }), (cuts0, cuts1, order) => {
        const filter = new RestoreFilter(MAP);
        const out: CanonicalEvent[] = [];
        const emit = (e: CanonicalEvent): void => {
          out.push(e);
        };
        const queues = [splitAt(UPSTREAM, cuts0), splitAt(UPSTREAM, cuts1)];
        let i = 0;
        while (queues[0]!.length + queues[1]!.length > 0) {
          const pick = queues[0]!.length === 0 ? 1 : queues[1]!.length === 0 ? 0 : order[i++ % Math.max(1, order.length)] ? 1 : 0;
          filter.push({ type: 'text-delta', choice: pick, text: queues[pick]!.shift()! }, emit);
        }
        filter.push({ type: 'finish', choice: 0, reason: 'stop' }, emit);
        filter.push({ type: 'finish', choice: 1, reason: 'stop' }, emit);
        filter.end(emit);
        for (const choice of [0, 1]) {
          expect(out.flatMap((e) => (e.type === 'text-delta' && e.choice === choice ? [e.text] : [])).join('')).toBe(EXPECTED);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
