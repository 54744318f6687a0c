import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUsage } from './chat-to-events.ts';
import { readUsage } from './read-usage.ts';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
/** What parsing the whole body gives: the reference the fast path must equal. */
function parsedWhole(body: Buffer) {
  try {
    return decodeUsage((JSON.parse(body.toString('utf8')) as { usage?: unknown }).usage);
  } catch {
    return null;
  }
}

const usage = fc.record(
  {
    prompt_tokens: fc.nat(),
    completion_tokens: fc.nat(),
    total_tokens: fc.nat(),
    prompt_tokens_details: fc.record({ cached_tokens: fc.nat() }),
    completion_tokens_details: fc.record({ reasoning_tokens: fc.nat(), note: fc.string() }, { requiredKeys: ['reasoning_tokens'] }),
  },
  { requiredKeys: ['prompt_tokens', 'completion_tokens'] },
);
const others = fc.dictionary(fc.string().filter((key) => key !== 'usage'), fc.jsonValue(), { maxKeys: 5 });

describe('readUsage', () => {
  it('reads the recorded responses as parsing them whole does', () => {
    for (const name of ['chat-text.response.json', 'chat-reasoning.response.json', 'chat-parallel-tools.response.json', 'chat-unknown-fields.response.json', 'embeddings.response.json']) {
      const body = fixture(name);
      expect(readUsage(body), name).toEqual(parsedWhole(body));
      expect(readUsage(body), name).not.toBeNull();
    }
  });

  it('agrees with parsing the whole body wherever usage sits and whatever surrounds it', () => {
    fc.assert(
      fc.property(
        others,
        fc.option(usage),
        fc.option(usage),
        fc.nat(),
        fc.constantFrom(undefined, 0, 2),
        fc.option(fc.string()),
        (members, top, nested, position, indent, decoy) => {
          const entries = Object.entries(members);
          if (top !== null) entries.splice(position % (entries.length + 1), 0, ['usage', top]);
          // A usage object one level down, and the word in a string, must not be taken for the answer's.
          if (nested !== null) entries.push(['choices', [{ message: { usage: nested } }]]);
          if (decoy !== null) entries.push(['text', `${decoy}"usage": {"prompt_tokens": 7}`]);
          const body = Buffer.from(JSON.stringify(Object.fromEntries(entries), null, indent));
          expect(readUsage(body)).toEqual(parsedWhole(body));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes usage: null and a body without usage as no usage, and does not read a body that is not JSON', () => {
    expect(readUsage(Buffer.from('{"id":"x","usage":null}'))).toBeNull();
    expect(readUsage(Buffer.from('{"id":"x"}'))).toBeNull();
    expect(readUsage(Buffer.from('{"usage":{"prompt_tokens":3,"completion_tokens":4}'))).toBeNull();
    expect(readUsage(Buffer.from('{"usage":{"prompt_tokens":3,"completion_tokens":4},"x":[1]}'))).toMatchObject({ inputTokens: 3, outputTokens: 4 });
  });
});
