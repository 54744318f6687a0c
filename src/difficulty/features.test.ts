import { describe, expect, it } from 'vitest';
import { DENSE_NAMES, featurize, MAX_CHARS, promptText } from './features.ts';

const B = 1 << 14;
const buckets = (text: string) => {
  const f = featurize(text, B);
  return [...f.indices.slice(0, f.length)].map((b, i) => `${b}:${f.values[i]!.toFixed(6)}`).sort();
};

describe('featurize', () => {
  it('is deterministic and ignores case', () => {
    expect(buckets('What is the Derivative of x^2?')).toEqual(buckets('what is the derivative of X^2?'));
  });

  it('folds numbers of the same digit count into one token', () => {
    expect(buckets('Tom has 17 apples and 3 pears')).toEqual(buckets('Tom has 42 apples and 8 pears'));
    expect(buckets('Tom has 17 apples')).not.toEqual(buckets('Tom has 170 apples'));
  });

  it('emits a unigram per word and a bigram per adjacent pair, scaled by 1/sqrt(words)', () => {
    const f = featurize('alpha beta gamma delta', B);
    expect(f.length).toBe(4 + 3);
    for (let i = 0; i < f.length; i++) expect(Math.abs(f.values[i]!)).toBeCloseTo(0.5, 12);
    for (let i = 0; i < f.length; i++) expect(f.indices[i]).toBeLessThan(B);
  });

  it('reads only the last MAX_CHARS characters of a long prompt', () => {
    const tail = 'Prove that the sum of two odd integers is even. '.repeat(150).slice(0, MAX_CHARS);
    expect(buckets(`${'ignored preamble words '.repeat(500)}${tail}`)).toEqual(buckets(tail));
  });

  it('computes the dense structure features', () => {
    const f = featurize('```\nfor (i = 0; i < n; i++) { x += a[i]; }\n```\nWhy?', B, 3, true);
    expect(f.dense.length).toBe(DENSE_NAMES.length);
    const d = Object.fromEntries(DENSE_NAMES.map((n, i) => [n, f.dense[i]!]));
    expect(d.code_symbol_share).toBeGreaterThan(2);
    expect(d.math_symbol_share).toBeGreaterThan(1);
    expect(d.question_marks).toBe(0.2);
    expect(d.has_system).toBe(1);
    expect(d.log_messages).toBeCloseTo(Math.log1p(3) / 3, 12);
    expect(featurize('', B).length).toBe(0);
  });
});

describe('promptText', () => {
  it('joins system, developer and user text, and skips assistant and tool turns', () => {
    const text = promptText({
      messages: [
        { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Hi' }, { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'SECRET ANSWER' }] },
        { role: 'tool', parts: [{ type: 'text', text: 'tool output' }] },
        { role: 'user', parts: [{ type: 'text', text: 'Integrate x^2.' }] },
      ],
    } as never);
    expect(text).toBe('Be brief.\nHi\nIntegrate x^2.');
  });
});
