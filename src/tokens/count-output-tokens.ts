import type { CanonicalResponse } from '../canonical/index.ts';
import type { CountTokens } from './token-counter.ts';

export interface OutputCount {
  /** Every generated token counted: text, reasoning text, tool-call names and arguments. */
  outputTokens: number;
  /** Part of outputTokens: the reasoning text. */
  reasoningTokens: number;
}

/**
 * The output tokens of what an upstream generated (whole, or up to a cut), counted from its text.
 * What the text does not show is not counted: reasoning the upstream kept hidden (OpenAI's o-series),
 * encrypted reasoning (Anthropic `redacted_thinking`), and the few framing tokens around each tool
 * call — so a count errs low where those matter (docs/metering.md).
 */
export function countOutputTokens(response: CanonicalResponse, countTokens: CountTokens): OutputCount {
  let outputTokens = 0;
  let reasoningTokens = 0;
  for (const choice of response.choices) {
    if (!choice) continue;
    for (const part of choice.parts) {
      switch (part.type) {
        case 'text':
          outputTokens += countTokens(part.text);
          break;
        case 'reasoning': {
          const tokens = countTokens(part.text);
          outputTokens += tokens;
          reasoningTokens += tokens;
          break;
        }
        case 'tool-call':
          outputTokens += countTokens(part.name) + countTokens(part.arguments);
          break;
        case 'redacted-reasoning':
          break;
      }
    }
  }
  return { outputTokens, reasoningTokens };
}
