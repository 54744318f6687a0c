import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastEventEnd } from './event-boundary.ts';

const enc = new TextEncoder();
const end = (text: string): number => lastEventEnd(enc.encode(text));

/**
 * Reference model, straight from the spec's grammar: lines end with CRLF, LF or CR, and an empty
 * line ends an event. A CR at the very end counts as a line end, as a streaming parser must take it.
 * A blank line needs a line end before it in `bytes`: a lone leading terminator is held back, which is
 * safe (it only delays one byte) and keeps the function free of assumptions about what came before.
 */
function referenceLastEventEnd(bytes: Uint8Array): number {
  let lineStart = 0;
  let last = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte !== 0x0a && byte !== 0x0d) continue;
    const next = byte === 0x0d && bytes[i + 1] === 0x0a ? i + 2 : i + 1;
    if (i === lineStart && i > 0) last = next;
    lineStart = next;
    i = next - 1;
  }
  return last;
}

describe('lastEventEnd', () => {
  it('is 0 before any complete event', () => {
    expect(lastEventEnd(new Uint8Array(0))).toBe(0);
    expect(end('data: x')).toBe(0);
    expect(end('data: x\n')).toBe(0);
    expect(end('data: x\r\n')).toBe(0);
    expect(end('data: x\ndata: y\n')).toBe(0);
  });

  it('is the whole length after each blank-line ending', () => {
    for (const text of ['data: x\n\n', 'data: x\r\r', 'data: x\r\n\r\n', 'data: x\n\r\n', 'data: x\r\n\n', ': keep-alive\n\n', '\n\n']) {
      expect(end(text), JSON.stringify(text)).toBe(text.length);
    }
  });

  it('is the end of the previous event in the middle of the next', () => {
    expect(end('data: a\n\ndata: b')).toBe(9);
    expect(end('data: a\n\ndata: b\n')).toBe(9);
    expect(end('data: a\r\n\r\ndata: b\r\n')).toBe(11);
    expect(end('data: a\n\ndata: b\n\ndata: c')).toBe(18);
  });

  it('takes a final CR after a line end as the end of the event', () => {
    // The CR ends the blank line whether or not an LF follows, so nothing of the event is left open.
    expect(end('data: x\r\n\r')).toBe(10);
    expect(end('data: x\r')).toBe(0);
  });

  it('needs two line ends in the bytes it is given', () => {
    expect(end('\n')).toBe(0);
    expect(end('\r\n')).toBe(0);
    expect(end('\ndata: x')).toBe(0);
  });

  it('reads a Buffer slice at its own offset', () => {
    const whole = Buffer.from('data: a\n\ndata: b\n\nxx');
    expect(lastEventEnd(whole.subarray(9, 20))).toBe(9);
    expect(lastEventEnd(new Uint8Array(whole.buffer, whole.byteOffset + 9, 9))).toBe(9);
  });

  const fieldLine = fc
    .tuple(
      fc.constantFrom('data: ', 'data:', 'event: ', 'id: ', ': ', 'retry: '),
      fc.string({ unit: fc.constantFrom('a', ' ', '{', '"', ':', 'ü', '√', '\u{1f600}'), maxLength: 12 }),
    )
    .map(([field, value]) => field + value);

  /** Events with one line ending throughout, \n or \r\n; the offset of each event's end. */
  const streams = fc
    .array(fc.tuple(fc.array(fieldLine, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 8 })
    .map((events) => {
      const texts = events.map(([lines, eol]) => lines.map((l) => l + eol).join('') + eol);
      const bytes = enc.encode(texts.join(''));
      const ends: number[] = [0];
      let offset = 0;
      for (const text of texts) ends.push((offset += enc.encode(text).length));
      return { bytes, ends, crlf: texts.map((t) => t.endsWith('\r\n\r\n')) };
    });

  it('for every prefix of a stream, is the end of the last event the prefix completes (property)', () => {
    fc.assert(
      fc.property(streams, fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), ({ bytes, ends, crlf }, rawCuts) => {
        for (const raw of rawCuts) {
          const cut = raw % (bytes.length + 1);
          let expected = Math.max(...ends.filter((e) => e <= cut));
          // The one spot between event ends it may also report: inside the final CRLF, after its CR.
          const split = ends.findIndex((e, i) => i > 0 && crlf[i - 1] && e - 1 === cut);
          if (split > 0) expected = cut;
          expect(lastEventEnd(bytes.subarray(0, cut)), `prefix of ${cut} bytes`).toBe(expected);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the spec grammar on any mix of line endings (property)', () => {
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom('\n', '\r', '\r\n'), weight: 3 },
      { arbitrary: fieldLine, weight: 2 },
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const bytes = enc.encode(pieces.join(''));
        expect(lastEventEnd(bytes)).toBe(referenceLastEventEnd(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
