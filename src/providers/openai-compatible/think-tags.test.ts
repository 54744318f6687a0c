import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ThinkTagSplitter, type ThinkTagMode } from './think-tags.ts';
import { splitAt } from '../../../test/support/split-at.ts';

interface Result {
  reasoning: string;
  content: string;
  unterminated: boolean;
}

function run(mode: ThinkTagMode, chunks: string[]): Result {
  const splitter = new ThinkTagSplitter(mode);
  let reasoning = '';
  let content = '';
  for (const chunk of chunks) {
    const out = splitter.push(chunk);
    reasoning += out.reasoning;
    content += out.content;
  }
  const last = splitter.end();
  return { reasoning: reasoning + last.reasoning, content: content + last.content, unterminated: last.unterminated };
}

describe('ThinkTagSplitter', () => {
  it('passes text without tags through as content, with no delay after a first non-`<` character', () => {
    const s = new ThinkTagSplitter('think-tags');
    expect(s.push('Hello')).toEqual({ reasoning: '', content: 'Hello' });
    expect(s.push(' world')).toEqual({ reasoning: '', content: ' world' });
    expect(s.end()).toEqual({ reasoning: '', content: '', unterminated: false });
  });

  it('holds a leading `<` only until it can no longer start `<think>`', () => {
    const s = new ThinkTagSplitter('think-tags');
    expect(s.push('<')).toEqual({ reasoning: '', content: '' });
    expect(s.push('b>bold')).toEqual({ reasoning: '', content: '<b>bold' });
  });

  it('splits `<think>a</think>\\n\\nb`', () => {
    expect(run('think-tags', ['<think>a</think>\n\nb'])).toEqual({ reasoning: 'a', content: 'b', unterminated: false });
  });

  it('splits `a</think>b` in open mode', () => {
    expect(run('think-tags-open', ['a</think>b'])).toEqual({ reasoning: 'a', content: 'b', unterminated: false });
  });

  it('treats a literal `<think>` as reasoning text in open mode', () => {
    expect(run('think-tags-open', ['<think>a</think>b'])).toEqual({ reasoning: '<think>a', content: 'b', unterminated: false });
  });

  it('finds the tags when split at every position across two pushes', () => {
    const text = '<think>\nLet x be 1.\n</think>\n\nThe ball costs $0.05.';
    for (let i = 0; i <= text.length; i++) {
      expect(run('think-tags', [text.slice(0, i), text.slice(i)])).toEqual({
        reasoning: '\nLet x be 1.\n',
        content: 'The ball costs $0.05.',
        unterminated: false,
      });
    }
    const open = 'Let x be 1.\n</think>\n\nThe ball costs $0.05.';
    for (let i = 0; i <= open.length; i++) {
      expect(run('think-tags-open', [open.slice(0, i), open.slice(i)])).toEqual({
        reasoning: 'Let x be 1.\n',
        content: 'The ball costs $0.05.',
        unterminated: false,
      });
    }
  });

  it('holds back a partial `</think>` until the next push resolves it', () => {
    const s = new ThinkTagSplitter('think-tags-open');
    expect(s.push('abc</th')).toEqual({ reasoning: 'abc', content: '' });
    expect(s.push('e end')).toEqual({ reasoning: '</the end', content: '' });
    expect(s.push('</')).toEqual({ reasoning: '', content: '' });
    expect(s.push('think>x')).toEqual({ reasoning: '', content: 'x' });
  });

  it('keeps later `<think>` and `</think>` strings in the answer as content', () => {
    expect(run('think-tags', ['<think>r</think>\nUse `</think>` to close and <think> to open.'])).toEqual({
      reasoning: 'r',
      content: 'Use `</think>` to close and <think> to open.',
      unterminated: false,
    });
    expect(run('think-tags', ['Say <think>hi</think>'])).toEqual({ reasoning: '', content: 'Say <think>hi</think>', unterminated: false });
  });

  it('accepts leading whitespace before `<think>`, and drops it', () => {
    expect(run('think-tags', ['\n', ' \n<thi', 'nk>a</think>b'])).toEqual({ reasoning: 'a', content: 'b', unterminated: false });
  });

  it('keeps leading whitespace as content when no `<think>` follows', () => {
    const s = new ThinkTagSplitter('think-tags');
    expect(s.push('\n  ')).toEqual({ reasoning: '', content: '' });
    expect(s.push('Hi')).toEqual({ reasoning: '', content: '\n  Hi' });
  });

  it('drops only the whitespace right after `</think>`, across pushes', () => {
    const s = new ThinkTagSplitter('think-tags');
    expect(s.push('<think>r</think>\n')).toEqual({ reasoning: 'r', content: '' });
    expect(s.push(' \n')).toEqual({ reasoning: '', content: '' });
    expect(s.push('a\n\n b')).toEqual({ reasoning: '', content: 'a\n\n b' });
    expect(s.push('\n')).toEqual({ reasoning: '', content: '\n' });
  });

  it('never flushes an unterminated think block as content', () => {
    expect(run('think-tags', ['<think>Let x', ' be 1.</th'])).toEqual({ reasoning: 'Let x be 1.</th', content: '', unterminated: true });
    expect(run('think-tags-open', ['Let x be'])).toEqual({ reasoning: 'Let x be', content: '', unterminated: true });
  });

  it('ends a stream that only saw `<th` as content', () => {
    expect(run('think-tags', ['<th'])).toEqual({ reasoning: '', content: '<th', unterminated: false });
    expect(run('think-tags', [' \n'])).toEqual({ reasoning: '', content: ' \n', unterminated: false });
  });

  it('treats `<thin` followed by `g>` as content `<thing>`', () => {
    const s = new ThinkTagSplitter('think-tags');
    expect(s.push('<thin')).toEqual({ reasoning: '', content: '' });
    expect(s.push('g>')).toEqual({ reasoning: '', content: '<thing>' });
    expect(s.end()).toEqual({ reasoning: '', content: '', unterminated: false });
  });

  it('gives an empty think block as whitespace reasoning', () => {
    expect(run('think-tags', ['<think>\n\n</think>\n\nAnswer'])).toEqual({ reasoning: '\n\n', content: 'Answer', unterminated: false });
  });

  it('yields nothing for empty input', () => {
    expect(run('think-tags', [])).toEqual({ reasoning: '', content: '', unterminated: false });
    expect(run('think-tags', ['', ''])).toEqual({ reasoning: '', content: '', unterminated: false });
  });
});

describe('ThinkTagSplitter properties', () => {
  // Whole tags and tag fragments as units make near-misses and real tags likely.
  const unit = fc.constantFrom('<', '>', '/', 't', 'h', 'i', 'n', 'k', ' ', '\n', 'a', 'b', 'Z', '<think>', '</think>', '</th', '<thi', 'ink>');
  const text = fc.string({ unit, maxLength: 40 });
  const reasoningText = text.filter((r) => !r.includes('</think>'));
  const cuts = fc.array(fc.nat(), { maxLength: 8 });
  const mode = fc.constantFrom<ThinkTagMode>('think-tags', 'think-tags-open');

  it('splits `<think>` + reasoning + `</think>` + answer at random points', () => {
    fc.assert(
      fc.property(reasoningText, text, cuts, (reasoning, answer, at) => {
        const whole = `<think>${reasoning}</think>${answer}`;
        expect(run('think-tags', splitAt(whole, at))).toEqual({ reasoning, content: answer.trimStart(), unterminated: false });
      }),
    );
  });

  it('splits reasoning + `</think>` + answer at random points in open mode', () => {
    fc.assert(
      fc.property(reasoningText, text, cuts, (reasoning, answer, at) => {
        const whole = `${reasoning}</think>${answer}`;
        expect(run('think-tags-open', splitAt(whole, at))).toEqual({ reasoning, content: answer.trimStart(), unterminated: false });
      }),
    );
  });

  it('keeps text that does not open with `<think>` as content, unchanged', () => {
    fc.assert(
      fc.property(text, cuts, (answer, at) => {
        fc.pre(!answer.trimStart().startsWith('<think>'));
        expect(run('think-tags', splitAt(answer, at))).toEqual({ reasoning: '', content: answer, unterminated: false });
      }),
    );
  });

  it('gives an unterminated think block as reasoning only', () => {
    fc.assert(
      fc.property(reasoningText, cuts, (reasoning, at) => {
        expect(run('think-tags-open', splitAt(reasoning, at))).toEqual({ reasoning, content: '', unterminated: true });
      }),
    );
  });

  it('gives the same result one character at a time, in random chunks and all at once', () => {
    fc.assert(
      fc.property(mode, text, cuts, (m, whole, at) => {
        const once = run(m, [whole]);
        expect(run(m, [...whole])).toEqual(once);
        expect(run(m, splitAt(whole, at))).toEqual(once);
      }),
    );
  });
});
