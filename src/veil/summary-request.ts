import type { CanonicalRequest } from '../canonical/index.ts';
import type { CountTokens } from '../tokens/index.ts';

/**
 * What the summariser model is asked (reasoning.md §2.4): what was considered, in a few sentences,
 * without the intermediate steps that make a chain of thought worth copying.
 */
const INSTRUCTIONS =
  'You summarise the hidden reasoning of another AI model for its user. In at most three short sentences, ' +
  'say what the model considered and how it approached the problem. Do not reproduce equations, ' +
  'intermediate values, step lists or sentences from the reasoning. Reply with the summary only.';

export function summaryRequest(model: string, reasoning: string, maxTokens: number): CanonicalRequest {
  return {
    model,
    stream: false,
    includeUsage: false,
    messages: [
      { role: 'system', parts: [{ type: 'text', text: INSTRUCTIONS }] },
      { role: 'user', parts: [{ type: 'text', text: `<reasoning>\n${reasoning}\n</reasoning>` }] },
    ],
    options: { maxOutputTokens: maxTokens, temperature: 0.2 },
  };
}

/** The summary cut to `maxTokens` (a summariser may ignore its limit), at a word boundary. */
export function capSummary(text: string, maxTokens: number, count: CountTokens): string {
  const trimmed = text.trim();
  if (count(trimmed) <= maxTokens) return trimmed;
  const words = trimmed.split(/\s+/);
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (count(words.slice(0, mid).join(' ')) + 1 <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  return `${words.slice(0, lo).join(' ')}…`;
}
