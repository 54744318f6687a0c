import { describe, expect, it } from 'vitest';
import { capSummary, summaryRequest } from './summary-request.ts';

describe('summaryRequest', () => {
  it('asks for a short summary of the reasoning, capped at maxTokens', () => {
    const request = summaryRequest('small', 'Let x be the ball.', 60);
    expect(request.options.maxOutputTokens).toBe(60);
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(JSON.stringify(request.messages[1])).toContain('Let x be the ball.');
  });
});

describe('capSummary', () => {
  const perWord = (t: string) => (t.trim() === '' ? 0 : t.trim().split(/\s+/).length);
  it('keeps a summary within its cap, cutting at a word boundary', () => {
    expect(capSummary(' It checked factors. ', 5, perWord)).toBe('It checked factors.');
    expect(capSummary('one two three four five six seven', 4, perWord)).toBe('one two three…');
    expect(perWord(capSummary('a '.repeat(500), 40, perWord))).toBeLessThanOrEqual(40);
  });
});
