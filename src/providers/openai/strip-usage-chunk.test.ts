import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../../test/support/fixtures.ts';
import { stripUsageOnlyEvents } from './strip-usage-chunk.ts';

const events = (sse: Buffer) => sse.toString('utf8').split('\n\n').filter(Boolean);

describe('stripUsageOnlyEvents', () => {
  it('removes the usage-only chunk of every OpenAI stream fixture and nothing else', () => {
    for (const name of ['chat-text', 'chat-parallel-tools', 'chat-reasoning', 'chat-unknown-fields']) {
      const sse = fixtureBytes(`${name}.stream.sse`);
      const stripped = stripUsageOnlyEvents(sse).toString('utf8');
      const expected = events(sse).filter((e) => !(e.includes('"choices":[]') && e.includes('"prompt_tokens"')));
      expect(events(sse).length - expected.length).toBe(1);
      expect(stripped).toBe(expected.map((e) => `${e}\n\n`).join(''));
    }
  });

  it('keeps chunks that mention prompt_tokens in their content, and streams without usage', () => {
    const content = Buffer.from('data: {"choices":[{"index":0,"delta":{"content":"\\"prompt_tokens\\" is a field"}}]}\n\n');
    expect(stripUsageOnlyEvents(content)).toBe(content);
    const plain = Buffer.from('data: {"choices":[{"index":0,"delta":{"content":"hi"}}]}\n\ndata: [DONE]\n\n');
    expect(stripUsageOnlyEvents(plain)).toBe(plain);
  });

  it('handles CRLF framing and any grouping of whole events (property)', () => {
    const sse = fixtureBytes('chat-text.stream.sse').toString('utf8');
    const all = events(Buffer.from(sse));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: all.length }), { maxLength: 6 }), fc.boolean(), (cuts, crlf) => {
        const sep = crlf ? '\r\n\r\n' : '\n\n';
        const bounds = [...new Set([0, ...cuts, all.length])].sort((a, b) => a - b);
        let out = '';
        for (let i = 0; i + 1 < bounds.length; i++) {
          const group = Buffer.from(all.slice(bounds[i], bounds[i + 1]).map((e) => e + sep).join(''));
          out += stripUsageOnlyEvents(group).toString('utf8');
        }
        const expected = all.filter((e) => !(e.includes('"choices":[]') && e.includes('"prompt_tokens"'))).map((e) => e + sep).join('');
        expect(out).toBe(expected);
      }),
    );
  });
});
