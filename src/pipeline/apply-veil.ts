import type { CanonicalRequest } from '../canonical/index.ts';
import { MoatError } from '../errors/index.ts';
import {
  checkLeakChannels,
  ForeignBlobError,
  LeakChannelRefusal,
  loadTokenizers,
  resolveVeilPolicy,
  restoreReasoning,
  sealReasoning,
  stripStrayThinkTags,
  tenantCacheSalt,
  VeilFilter,
  createSummariser,
  reasoningTokenCounter,
  type Summarise,
} from '../veil/index.ts';
import type { Call } from './call.ts';

const tokenizersLoaded = new WeakSet<object>();

/** `veil.summary.model` through Moat's own model table and providers; null when it is not configured. */
function summariser(call: Call): Summarise | null {
  const { summary } = call.runtime.config.veil;
  const resolved = summary.model ? call.runtime.models.resolve(summary.model) : null;
  const provider = resolved ? call.runtime.providers.get(resolved.entry.provider) : undefined;
  if (!resolved || !provider) {
    call.logger.warn({ model: summary.model ?? null }, 'veil.summary.model is not a configured model: reasoning is hidden without a summary');
    return null;
  }
  return createSummariser(
    { provider, entry: resolved.entry, upstreamModel: resolved.upstreamModel },
    { maxTokens: summary.maxTokens, timeoutMs: summary.timeoutMs, requestId: call.id, count: () => reasoningTokenCounter(resolved.entry.name) },
  );
}

/** Starts loading `veil.tokenizers` once per config; until loaded, reasoning is counted with o200k. */
function loadConfiguredTokenizers(call: Call): void {
  const paths = call.runtime.config.veil.tokenizers;
  if (tokenizersLoaded.has(paths)) return;
  tokenizersLoaded.add(paths);
  if (Object.keys(paths).length === 0) return;
  void loadTokenizers(paths).then((problems) => {
    for (const problem of problems) call.logger.warn({ problem }, 'a veil tokenizer did not load; its model is counted with o200k_base');
  });
}

/**
 * Anthropic server tools (`web_search_…`, `code_execution_…`) have no canonical form and reach Anthropic
 * only by passthrough, which the veil rules out: refused rather than silently dropped.
 */
function refuseServerTools(wire: Readonly<Record<string, unknown>>): void {
  if (!Array.isArray(wire.tools)) return;
  wire.tools.forEach((tool: unknown, i) => {
    const type = typeof tool === 'object' && tool !== null ? (tool as { type?: unknown }).type : undefined;
    if (type === undefined || type === null || type === 'custom') return;
    throw new MoatError('unsupported_parameter', `Anthropic server tool '${String(type)}' cannot be used under the reasoning veil: veiled answers are translated, and server tools reach Anthropic only by passthrough.`, {
      param: `tools[${i}]`,
    });
  });
}

/**
 * The reasoning veil's stage (docs/veil.md), right after decoding:
 * 1. sealed reasoning blobs the client sent back are opened and restored to what the upstream gave
 *    (whatever the policy, so a key whose policy changed keeps its tool loop);
 * 2. under `hidden`/`summary`, options that could leak the reasoning are refused or dropped, vetted
 *    engine extras and the tenant's cache salt are put on the request, and a response filter removes
 *    the reasoning from the answer (the ledger still sees and bills it).
 * `wire` is the client's body, as parsed.
 */
export function applyVeil(call: Call, request: CanonicalRequest, wire: Readonly<Record<string, unknown>> | null): void {
  const config = call.runtime.config.veil;
  const tenantId = call.key?.tenantId ?? 'default';
  const keys = call.runtime.veilKeys;
  loadConfiguredTokenizers(call);
  try {
    if (restoreReasoning(request, tenantId, keys) > 0) call.forceTranslation = true;
  } catch (error) {
    if (!(error instanceof ForeignBlobError)) throw error;
    throw new MoatError('reasoning_blob_invalid', `The reasoning blob in messages[${error.messageIndex}] does not open for this key's tenant: it was altered, or issued to another tenant.`, {
      param: `messages[${error.messageIndex}]`,
    });
  }

  const policy = resolveVeilPolicy(config, call.key ? { keyId: call.key.id, tenantId, class: call.key.class } : null);
  if (policy.reasoning === 'visible') return;
  if (call.dialect.name === 'anthropic-messages' && wire) refuseServerTools(wire);
  let checked;
  try {
    checked = checkLeakChannels(policy, request, call.dialect.name === 'openai-chat' ? wire : null);
  } catch (error) {
    if (!(error instanceof LeakChannelRefusal)) throw error;
    throw new MoatError('reasoning_param_refused', error.message, { param: error.param });
  }
  call.warnings.push(...checked.warnings);
  if (Object.keys(checked.extras).length > 0) request.upstreamExtras = checked.extras;
  if (policy.cacheSalt) request.cacheSalt = tenantCacheSalt(tenantId, keys);
  const summarise = policy.reasoning === 'summary' ? summariser(call) : null;
  call.responseFilters.push(() => {
    const veil = new VeilFilter({
      blobs: call.dialect.name === 'anthropic-messages' ? 'all' : 'signed',
      seal: (part) => sealReasoning(part, tenantId, keys),
      copySpanWords: policy.copySpanWords,
      flag: (flag) => {
        if (!call.flags.includes(flag)) call.flags.push(flag);
      },
      ...(summarise
        ? { summarise, onSummaryError: (error: unknown) => call.logger.warn({ err: (error as Error).message }, 'the reasoning summary failed; the answer went without it') }
        : {}),
    });
    // Called per upstream attempt, when the target is known: `<think>` models are already split by their provider.
    return (call.target?.entry.reasoningFormat ?? 'fields') === 'fields' ? stripStrayThinkTags(veil) : veil;
  });
}
