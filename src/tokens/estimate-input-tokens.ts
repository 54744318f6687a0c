import type { CanonicalRequest, ContentPart } from '../canonical/index.ts';
import { loadTokenCounter, type CountTokens } from './token-counter.ts';

/**
 * A count of a request's input tokens for upstreams that cannot count them (count_tokens against an
 * OpenAI-shaped model, metering an answer without usage). o200k_base is the encoding of OpenAI's
 * current models; other models' tokenizers differ by some percent either way (docs/metering.md).
 * Per-message and per-tool framing follow OpenAI's published counting recipe (3 tokens per message,
 * 3 to prime the reply). Images count as a flat 1,600 tokens — Anthropic's figure for a full-size
 * image, so the estimate errs high.
 */
export const IMAGE_TOKEN_ESTIMATE = 1600;
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

function partTokens(part: ContentPart, countTokens: CountTokens): number {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return countTokens(part.text);
    case 'image':
      return IMAGE_TOKEN_ESTIMATE;
    case 'tool-call':
      return countTokens(part.name) + countTokens(part.arguments);
    case 'tool-result':
      return part.content.reduce((sum, p) => sum + partTokens(p, countTokens), 0);
    case 'redacted-reasoning':
    case 'other':
      return 0;
  }
}

/** Synchronous, with the counter given (see `tokenCounterNow`). */
export function countInputTokens(request: CanonicalRequest, countTokens: CountTokens): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of request.messages) {
    total += TOKENS_PER_MESSAGE;
    for (const part of message.parts) total += partTokens(part, countTokens);
  }
  for (const tool of request.options.tools ?? []) {
    total += countTokens(JSON.stringify({ name: tool.name, description: tool.description ?? '', parameters: tool.parameters ?? {} }));
  }
  return total;
}

export async function estimateInputTokens(request: CanonicalRequest): Promise<number> {
  return countInputTokens(request, await loadTokenCounter());
}
