import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { foldEvents, type CanonicalEvent, type CanonicalRequest } from '../canonical/index.ts';
import type { ModelConfig } from '../config/index.ts';
import type { CountTokens } from '../tokens/index.ts';
import { capSummary, summaryRequest } from './summary-request.ts';

/** The parts of a configured provider the summariser needs (src/providers `Provider`). */
export interface SummariserUpstream {
  readonly dispatcher: Dispatcher;
  readonly basePath: string;
  readonly chat: {
    readonly path: string;
    encodeRequest(request: CanonicalRequest, upstreamModel: string, model: ModelConfig, warnings?: string[]): Buffer;
    decodeResponse(body: Buffer, model: ModelConfig): CanonicalEvent[];
  };
  upstreamHeaders(requestId: string, clientHeaders: IncomingHttpHeaders): Record<string, string>;
}

export interface SummariserTarget {
  provider: SummariserUpstream;
  entry: ModelConfig;
  upstreamModel: string;
}

export type Summarise = (reasoning: string) => Promise<string>;

/**
 * Asks the configured summariser model (through Moat's own provider, usually a small local model)
 * for a short summary of one answer's reasoning. Rejects on an upstream error or after `timeoutMs`;
 * the veil then sends the answer without a summary. The operator bears its cost: it is not metered
 * to the client's key.
 */
export function createSummariser(target: SummariserTarget, options: { maxTokens: number; timeoutMs: number; requestId: string; count: () => CountTokens }): Summarise {
  return async (reasoning) => {
    const request = summaryRequest(target.upstreamModel, reasoning, options.maxTokens);
    const { provider } = target;
    const response = await provider.dispatcher.request({
      path: provider.basePath + provider.chat.path,
      method: 'POST',
      headers: provider.upstreamHeaders(`${options.requestId}-summary`, {}),
      body: provider.chat.encodeRequest(request, target.upstreamModel, target.entry),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const body = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode >= 400) throw new Error(`the summariser answered ${response.statusCode}`);
    const folded = foldEvents(provider.chat.decodeResponse(body, target.entry));
    const text = folded.choices[0]?.text ?? '';
    if (text.trim() === '') throw new Error('the summariser returned no text');
    return capSummary(text, options.maxTokens, options.count());
  };
}
