import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editJsonBody } from './edit-json-body.ts';

const spaces = fc.constantFrom('', ' ', '\n', '\t', ' \r\n  ');

/** Serialises an object with random whitespace around every token, as clients may send it. */
function looseJson(value: unknown, pick: () => string): string {
  if (Array.isArray(value)) return `[${pick()}${value.map((v) => looseJson(v, pick)).join(`${pick()},${pick()}`)}${pick()}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}${pick()}:${pick()}${looseJson(v, pick)}`);
    return `{${pick()}${members.join(`${pick()},${pick()}`)}${pick()}}`;
  }
  return JSON.stringify(value);
}

const bodies = fc.record({
  object: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 8 }),
  spacing: fc.array(spaces, { minLength: 1, maxLength: 40 }),
});

function render(object: Record<string, unknown>, spacing: string[]): Buffer {
  let i = 0;
  return Buffer.from(looseJson(object, () => spacing[i++ % spacing.length]!));
}

describe('editJsonBody', () => {
  it('replaces the model and keeps every other byte', () => {
    const body = Buffer.from('{ "model" : "alias",\n "seed": 9007199254740993, "x": 1.0 , "t":"\\u00fc" }');
    const out = editJsonBody(body, { set: { model: 'real-model' } });
    expect(out.toString()).toBe('{ "model" : "real-model",\n "seed": 9007199254740993, "x": 1.0 , "t":"\\u00fc" }');
  });

  it('removes first, middle and last members and renames keys', () => {
    const body = Buffer.from('{"a":1, "b":{"c":[1,"}"]}, "c":"x"}');
    expect(JSON.parse(editJsonBody(body, { remove: ['a'] }).toString())).toEqual({ b: { c: [1, '}'] }, c: 'x' });
    expect(JSON.parse(editJsonBody(body, { remove: ['b'] }).toString())).toEqual({ a: 1, c: 'x' });
    expect(JSON.parse(editJsonBody(body, { remove: ['c'] }).toString())).toEqual({ a: 1, b: { c: [1, '}'] } });
    expect(JSON.parse(editJsonBody(body, { remove: ['a', 'b', 'c'] }).toString())).toEqual({});
    expect(editJsonBody(body, { rename: { a: 'z' } }).toString()).toBe('{"z":1, "b":{"c":[1,"}"]}, "c":"x"}');
  });

  it('appends a member that is not there', () => {
    expect(JSON.parse(editJsonBody(Buffer.from('{}'), { set: { m: 1 } }).toString())).toEqual({ m: 1 });
    expect(JSON.parse(editJsonBody(Buffer.from('{"a":[]} '), { set: { m: 'x' } }).toString())).toEqual({ a: [], m: 'x' });
  });

  it('equals editing the parsed object, for any object, spacing and edits (property)', () => {
    fc.assert(
      fc.property(bodies, fc.jsonValue(), fc.array(fc.nat()), fc.nat(), (input, newValue, removePicks, renamePick) => {
        const { object, spacing } = input;
        const keys = Object.keys(object).filter((k) => k !== 'model' && k !== '__renamed__');
        const body = render(object, spacing);
        const remove = keys.length ? [...new Set(removePicks.map((p) => keys[p % keys.length]!))] : [];
        const renameKey = keys.find((k, i) => i === renamePick % Math.max(keys.length, 1) && !remove.includes(k));
        const out = editJsonBody(body, {
          set: { model: newValue },
          remove,
          rename: renameKey === undefined ? {} : { [renameKey]: '__renamed__' },
        });
        // Built with fromEntries so a key named `__proto__` stays an own property, as JSON.parse makes it.
        const want = Object.fromEntries([
          ...Object.entries(object)
            .filter(([k]) => !remove.includes(k))
            .map(([k, v]) => [k === renameKey ? '__renamed__' : k, v] as const)
            .filter(([k]) => k !== 'model'),
          ['model', newValue] as const,
        ]);
        // Round-trip the expectation through JSON, as the wire does (-0 is written as 0).
        expect(JSON.parse(out.toString())).toEqual(JSON.parse(JSON.stringify(want)));
      }),
      { numRuns: 500 },
    );
  });
});
