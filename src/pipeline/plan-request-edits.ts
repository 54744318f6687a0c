import type { CanonicalOptions, CanonicalRequest } from '../canonical/index.ts';
import type { OptionalParam } from '../config/index.ts';
import { MoatError } from '../errors/index.ts';
import type { BodyEdits } from '../passthrough/index.ts';
import type { Call, Target } from './call.ts';

/**
 * Options a target cannot honour. Dropping one of these changes what the client gets (other tokens,
 * another shape, missing fields), so Moat refuses with 400 instead; every other unsupported option is
 * dropped with a warning in `x-moat-warnings` (STYLE.md rule 7).
 */
const ANSWER_CHANGING: ReadonlySet<OptionalParam> = new Set<OptionalParam>([
  'logprobs', 'top_logprobs', 'n', 'response_format', 'tools', 'tool_choice', 'parallel_tool_calls', 'seed', 'stop',
  'presence_penalty', 'frequency_penalty', 'logit_bias', 'reasoning_effort', 'modalities', 'audio', 'web_search_options',
  'verbosity',
]);

/** Values that ask for nothing beyond the default, so a target that lacks the option honours them anyway. */
function asksForNothing(param: OptionalParam, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (param === 'n') return value === 1;
  if (param === 'logprobs') return value === false;
  if (param === 'parallel_tool_calls') return value === true;
  if (param === 'tools' || param === 'stop') return Array.isArray(value) && value.length === 0;
  return false;
}

/**
 * The options in `values` this target cannot honour: throws for the first that would change the
 * answer, returns the others (to drop, with a warning each).
 */
function unsupportedPresent(call: Call, target: Target, model: string, values: (param: OptionalParam) => unknown): OptionalParam[] {
  const droppable: OptionalParam[] = [];
  for (const param of [...target.provider.unsupportedParams, ...target.entry.unsupportedParams]) {
    if (asksForNothing(param, values(param))) continue;
    if (ANSWER_CHANGING.has(param)) {
      throw new MoatError(
        'unsupported_parameter',
        `'${param}' is not supported by model '${model}' (provider '${target.provider.name}'), and ignoring it would change the answer.`,
        { param },
      );
    }
    droppable.push(param);
    call.warnings.push(`dropped '${param}': not supported by provider '${target.provider.name}'`);
  }
  return droppable;
}

/**
 * Stage 4 (passthrough): how the client's body must change for this target. Usually only the model
 * name; nothing at all when the client already used the upstream's name (the bytes go up untouched).
 * Option checks apply to OpenAI-shaped bodies, the only API whose servers vary in what they support.
 */
export function planRequestEdits(call: Call, target: Target, body: Readonly<Record<string, unknown>>): BodyEdits {
  const set: Record<string, unknown> = {};
  const rename: Record<string, string> = {};
  if (body.model !== target.upstreamModel) set.model = target.upstreamModel;
  if (call.dialect.name !== 'openai-chat') return { set };
  const remove: string[] = unsupportedPresent(call, target, String(body.model), (param) => body[param]);

  // OpenAI reasoning models reject `max_tokens` and want `max_completion_tokens`, which means the same limit.
  if (target.entry.reasoning && body.max_tokens != null && body.max_completion_tokens == null) {
    rename.max_tokens = 'max_completion_tokens';
    call.warnings.push(`'max_tokens' sent as 'max_completion_tokens' for reasoning model '${target.upstreamModel}'`);
  }
  return { set, rename, remove };
}

/** Where each option lives in the canonical request, for the check below. */
const CANONICAL_VALUES: Partial<Record<OptionalParam, (o: CanonicalOptions) => unknown>> = {
  n: (o) => o.n,
  stop: (o) => o.stop,
  tools: (o) => o.tools,
  tool_choice: (o) => o.toolChoice,
  parallel_tool_calls: (o) => o.parallelToolCalls,
  response_format: (o) => o.responseFormat,
  reasoning_effort: (o) => o.reasoning,
  user: (o) => o.user,
};

const DROP_FROM_CANONICAL: Partial<Record<OptionalParam, (o: CanonicalOptions) => void>> = {
  user: (o) => delete o.user,
};

/** Stage 4 (translation): the same option check, on the canonical request, before it is encoded. */
export function checkTranslatedOptions(call: Call, target: Target, request: CanonicalRequest): void {
  const dropped = unsupportedPresent(call, target, request.model, (param) => CANONICAL_VALUES[param]?.(request.options));
  for (const param of dropped) DROP_FROM_CANONICAL[param]?.(request.options);
}

/**
 * Passthrough streams always ask the upstream for usage, so every request is metered; returns true
 * when the client did not ask itself, and the usage chunk must be taken out of what it receives.
 * Upstreams configured without `stream_options` are left alone (and metered without token counts).
 */
export function forceStreamUsage(target: Target, wire: Readonly<Record<string, unknown>>, edits: BodyEdits): boolean {
  if (wire.stream !== true || target.provider.nativeDialect !== 'openai-chat') return false;
  if (target.provider.unsupportedParams.has('stream_options') || target.entry.unsupportedParams.includes('stream_options')) return false;
  const options = wire.stream_options;
  const asked = typeof options === 'object' && options !== null && (options as { include_usage?: unknown }).include_usage === true;
  if (asked) return false;
  edits.set = { ...edits.set, stream_options: { ...(typeof options === 'object' && options !== null ? options : {}), include_usage: true } };
  return true;
}
