import { describe, expect, it } from 'vitest';
import { normalizeText, OverlapIndex } from './dedup.ts';

describe('OverlapIndex', () => {
  const index = new OverlapIndex();
  index.add('Which of the following is the body cavity that contains the pituitary gland?\nA. Abdominal\nB. Cranial\nC. Pleural\nD. Spinal\nAnswer:');
  index.add('Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four.');

  it('finds the same question re-serialised, lightly edited, or as a stem without its options', () => {
    expect(index.overlaps('Which of the following is the body cavity that contains the pituitary gland?')).toBe(true);
    expect(index.overlaps('which of the following is the BODY CAVITY that contains the pituitary gland ?')).toBe(true);
    expect(index.overlaps('Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends daily with four.')).toBe(true);
  });

  it('does not flag an unrelated question that shares a few common words', () => {
    expect(index.overlaps('Which of the following is the largest planet in the solar system?')).toBe(false);
    expect(index.overlaps('Her ducks lay eggs; how many does she sell?')).toBe(false);
  });

  it('normalizes case, punctuation and spacing only', () => {
    expect(normalizeText('  Hello,  World!\n3.5 ')).toBe('hello world 3 5');
  });
});
