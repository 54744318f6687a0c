import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTokenizers, reasoningTokenCounter, reasoningTokensFor } from './reasoning-tokens.ts';
import { tokenizerFromJson } from './tokenizer-json.ts';

/** A tiny GPT-2-style byte-level BPE tokenizer, written here so the test needs no model download. */
const byteLevel = {
  version: '1.0',
  added_tokens: [{ id: 100, content: '<think>', special: true }, { id: 101, content: '</think>', special: true }],
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  model: {
    type: 'BPE',
    vocab: { h: 0, e: 1, l: 2, o: 3, 'Ġ': 4, w: 5, r: 6, d: 7, '!': 8, he: 9, ll: 10, hell: 11, hello: 12, 'Ġw': 13, or: 14, 'Ġwor': 15, ld: 16, 'Ġworld': 17 },
    merges: ['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'o r', 'Ġw or', 'l d', 'Ġwor ld'],
  },
};

describe('tokenizerFromJson', () => {
  const count = tokenizerFromJson(JSON.stringify(byteLevel));

  it('applies merges by rank within each pre-token', () => {
    expect(count('hello world')).toBe(2); // hello | Ġworld
    expect(count('hello hello!')).toBe(4); // hello | Ġ hello (no `Ġ hello` merge) | !
    expect(count('')).toBe(0);
  });

  it('counts an added token as one, wherever it stands', () => {
    expect(count('<think>hello</think> world')).toBe(4);
  });

  it('reads merges given as pairs, a Split regex pre-tokenizer and a Sequence (Qwen/Llama 3 layout)', () => {
    const qwenLike = {
      ...byteLevel,
      pre_tokenizer: {
        type: 'Sequence',
        pretokenizers: [
          { type: 'Split', pattern: { Regex: "(?i:'s|'t)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s+" }, behavior: 'Isolated', invert: false },
          { type: 'ByteLevel', add_prefix_space: false, use_regex: false },
        ],
      },
      model: { ...byteLevel.model, merges: byteLevel.model.merges.map((m) => m.split(' ')) },
    };
    const qwen = tokenizerFromJson(JSON.stringify(qwenLike));
    expect(qwen('hello world')).toBe(2);
    expect(qwen('12')).toBe(2); // digits one by one, each an unknown single symbol
  });

  it('falls back to one token per UTF-8 byte for symbols outside a byte-fallback vocabulary', () => {
    const sp = tokenizerFromJson(
      JSON.stringify({
        normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
        pre_tokenizer: null,
        model: { type: 'BPE', byte_fallback: true, vocab: { '▁': 0, h: 1, i: 2, hi: 3, '▁hi': 4 }, merges: ['h i', '▁ hi'] },
      }),
    );
    expect(sp('hi')).toBe(1); // ▁hi
    expect(sp('hié')).toBe(3); // ▁hi + é as 2 bytes
  });

  it('refuses what it cannot count instead of guessing', () => {
    expect(() => tokenizerFromJson('{')).toThrow(/not JSON/);
    expect(() => tokenizerFromJson(JSON.stringify({ model: { type: 'WordPiece', vocab: {} } }))).toThrow(/only BPE/);
    expect(() => tokenizerFromJson(JSON.stringify({ ...byteLevel, pre_tokenizer: { type: 'Whatever' } }))).toThrow(/unsupported pre_tokenizer/);
  });
});

describe('loadTokenizers', () => {
  it('loads a configured tokenizer.json for its model and reports files that fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'moat-veil-tok-'));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(byteLevel));
    writeFileSync(join(dir, 'broken.json'), '{"model": {"type": "Unigram"}}');
    const problems = await loadTokenizers({ 'r1-distill': join(dir, 'tokenizer.json'), other: join(dir, 'broken.json'), missing: join(dir, 'nope.json') });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/veil\.tokenizers\.other: .*only BPE/);
    expect(problems.join('\n')).toMatch(/veil\.tokenizers\.missing: .*ENOENT/);
    expect(reasoningTokenCounter('r1-distill')('hello world')).toBe(2);
  });

  it('keeps a non-zero upstream count, and never counts more reasoning than output', () => {
    const perChar = (t: string) => t.length;
    expect(reasoningTokensFor(7, 100, 'abc', perChar)).toBe(7);
    expect(reasoningTokensFor(0, 100, 'abc', perChar)).toBe(3);
    expect(reasoningTokensFor(0, 2, 'abc', perChar)).toBe(2);
    expect(reasoningTokensFor(0, 0, 'abc', perChar)).toBe(3);
    expect(reasoningTokensFor(0, 10, '', perChar)).toBe(0);
  });
});
