import type { CanonicalRequest } from '../canonical/index.ts';
import type { VeilPolicy } from './resolve-policy.ts';

/** A request option the veil refuses (400 `reasoning_param_refused`). */
export class LeakChannelRefusal extends Error {
  readonly param: string;
  constructor(param: string, message: string) {
    super(message);
    this.param = param;
  }
}

export interface LeakChannelResult {
  /** Fields to send to an OpenAI-shaped upstream as they are (allow-listed engine extras, `logit_bias`). */
  extras: Record<string, unknown>;
  /** Lines for `x-moat-warnings`: what was dropped. */
  warnings: string[];
}

/** The Chat Completions fields of OpenAI's API reference: everything else is an engine extra. */
const OPENAI_FIELDS = new Set([
  'model', 'messages', 'stream', 'stream_options', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n', 'stop',
  'logprobs', 'top_logprobs', 'presence_penalty', 'frequency_penalty', 'seed', 'tools', 'tool_choice', 'parallel_tool_calls',
  'response_format', 'reasoning_effort', 'user', 'logit_bias', 'metadata', 'store', 'service_tier', 'prediction', 'modalities',
  'audio', 'web_search_options', 'prompt_cache_key', 'safety_identifier', 'verbosity', 'functions', 'function_call',
]);

/**
 * Engine extras that can move reasoning into the visible answer or expose tokens (vLLM's protocol
 * fields, reasoning.md §2.5): refused unless `allowedExtras` names them. Any other unknown field is
 * dropped with a warning — the veil never forwards a field it has not vetted.
 */
const LEAKY_EXTRAS = new Set([
  'echo', 'prompt_logprobs', 'chat_template', 'chat_template_kwargs', 'add_generation_prompt', 'continue_final_message',
  'skip_special_tokens', 'spaces_between_special_tokens', 'return_token_ids', 'return_tokens_as_token_ids', 'cache_salt',
  'best_of', 'include_reasoning', 'reasoning', 'thinking', 'logits_processors', 'vllm_xargs', 'include_stop_str_in_output',
]);

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * The request side of `hidden`/`summary`: refuses what could leak the reasoning, caps `n`, and sorts
 * engine extras into forwarded and dropped. `wire` is the client's Chat Completions body (null for
 * Anthropic clients, whose API has none of these fields).
 */
export function checkLeakChannels(policy: VeilPolicy, request: CanonicalRequest, wire: Readonly<Record<string, unknown>> | null): LeakChannelResult {
  const extras: Record<string, unknown> = {};
  const warnings: string[] = [];
  const n = request.options.n ?? 1;
  if (n > policy.maxN) throw new LeakChannelRefusal('n', `'n' may be at most ${policy.maxN} for this key: several choices of a reasoning model multiply what can be harvested from it.`);

  const last = request.messages.at(-1);
  if (last?.role === 'assistant' && !policy.allowPrefill) {
    throw new LeakChannelRefusal(`messages[${request.messages.length - 1}]`, 'The conversation may not end with an assistant message (prefill) for this key: a prefilled answer can make the model write out its reasoning.');
  }
  if (wire === null) return { extras, warnings };

  if (wire.logprobs === true || present(wire.top_logprobs)) {
    const param = wire.logprobs === true ? 'logprobs' : 'top_logprobs';
    if (!policy.allowLogprobs) throw new LeakChannelRefusal(param, `'${param}' is not available for this key: log probabilities expose the model's hidden reasoning.`);
    if (typeof wire.top_logprobs === 'number' && wire.top_logprobs > policy.maxTopLogprobs) {
      throw new LeakChannelRefusal('top_logprobs', `'top_logprobs' may be at most ${policy.maxTopLogprobs} for this key.`);
    }
    warnings.push(`dropped '${param}': answers under the reasoning veil carry no log probabilities`);
  }
  if (present(wire.logit_bias)) {
    if (!policy.allowLogitBias) throw new LeakChannelRefusal('logit_bias', "'logit_bias' is not available for this key: with log probabilities it can extract the model's weights.");
    const entries = typeof wire.logit_bias === 'object' ? Object.keys(wire.logit_bias as object).length : 0;
    if (entries > policy.maxLogitBiasEntries) throw new LeakChannelRefusal('logit_bias', `'logit_bias' may name at most ${policy.maxLogitBiasEntries} tokens for this key.`);
    extras.logit_bias = wire.logit_bias;
  }
  for (const [field, value] of Object.entries(wire)) {
    if (OPENAI_FIELDS.has(field) || value === undefined) continue;
    if (policy.allowedExtras.has(field)) extras[field] = value;
    else if (LEAKY_EXTRAS.has(field)) throw new LeakChannelRefusal(field, `'${field}' is not available for this key: it can expose the model's hidden reasoning.`);
    else warnings.push(`dropped '${field}': not an allowed engine option under the reasoning veil`);
  }
  return { extras, warnings };
}
