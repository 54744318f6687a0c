import type { CanonicalRequest, CanonicalResponse, Usage } from '../canonical/index.ts';
import type { UsageSource } from '../storage/index.ts';
import { countInputTokens, countOutputTokens, type TokenCounter } from '../tokens/index.ts';

/** What a sink knows of an answer when the request is metered. */
export interface AnswerEvidence {
  /** The usage the upstream reported, possibly partial (Anthropic's `message_start`); null: none. */
  upstream: Usage | null;
  /** `upstream` is the upstream's final count (OpenAI's usage chunk or body, Anthropic's `message_delta`). */
  upstreamFinal: boolean;
  /** The upstream answered in full: its stream ended without an error, or its body was read. */
  completed: boolean;
  /** At least one output token (text, reasoning, tool call) arrived before the answer ended or was cut. */
  generated: boolean;
}

export interface BillableUsage {
  /** null: nothing known, nothing billed (the row says 0 tokens, `estimate`). */
  usage: Usage | null;
  source: UsageSource;
}

/**
 * The usage a request is billed for (docs/metering.md), pure given the counter:
 * 1. the upstream's final count, when it gave one — `upstream`;
 * 2. an attempt that failed or was abandoned before any output (an error response, a cut before the
 *    first token) — only what the upstream reported, else nothing: upstreams do not bill it;
 * 3. otherwise, a completed answer without usage or one cut after output was generated — counted:
 *    input from the upstream's partial usage if it gave one, else from the request; output from what
 *    was generated, never below the upstream's partial output count — `tokenizer`, or `estimate` while
 *    the tokenizer is still loading.
 * `request` is null where Moat has no canonical request to count (embeddings): rule 2 applies.
 */
export function billableUsage(evidence: AnswerEvidence, request: CanonicalRequest | null, answer: () => CanonicalResponse, counter: () => TokenCounter): BillableUsage {
  const { upstream } = evidence;
  if (upstream && evidence.upstreamFinal) return { usage: upstream, source: 'upstream' };
  if (request === null || (!evidence.completed && !evidence.generated)) return { usage: upstream, source: upstream ? 'upstream' : 'estimate' };
  const { count, exact } = counter();
  const output = countOutputTokens(answer(), count);
  const input = upstream
    ? { inputTokens: upstream.inputTokens, cachedInputTokens: upstream.cachedInputTokens, cacheWriteTokens: upstream.cacheWriteTokens }
    : { inputTokens: countInputTokens(request, count), cachedInputTokens: 0, cacheWriteTokens: 0 };
  return {
    usage: {
      ...input,
      outputTokens: Math.max(output.outputTokens, upstream?.outputTokens ?? 0),
      reasoningTokens: Math.max(output.reasoningTokens, upstream?.reasoningTokens ?? 0),
    },
    source: exact ? 'tokenizer' : 'estimate',
  };
}
