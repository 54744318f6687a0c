import type { CanonicalRequest } from '../canonical/index.ts';
import { editJsonBody, hasEdits } from '../passthrough/index.ts';
import { stripUsageOnlyEvents } from '../providers/openai/index.ts';
import type { MoatError } from '../errors/index.ts';
import type { AttemptRecord, Call, Target } from './call.ts';
import { PassthroughSink } from './passthrough-sink.ts';
import { checkTranslatedOptions, forceStreamUsage, planRequestEdits } from './plan-request-edits.ts';
import { relayWithinCapacity } from './hold-capacity.ts';
import { TranslatingSink } from './translating-sink.ts';

/**
 * Passthrough needs the upstream to speak the client's API, the request to be the client's (no stage
 * rewrote it), and the upstream's answer to be what the client should see (no response filter): a model that writes its reasoning as `<think>` tags in the text is translated even for
 * a client of its own API, so the reasoning is split from the answer.
 */
function canPassThrough(call: Call, target: Target): boolean {
  if (call.forceTranslation || call.responseFilters.length > 0) return false;
  return target.provider.nativeDialect === call.dialect.name && target.entry.reasoningFormat === 'fields';
}

/**
 * Stages 4–5 for chat: passthrough when possible (the client's bytes, with only the changed members
 * rewritten), translation through the canonical model otherwise.
 */
export function forwardChat(
  call: Call,
  target: Target,
  request: CanonicalRequest,
  wire: Record<string, unknown>,
  body: Buffer,
  attempt: AttemptRecord,
  deferFailure: boolean,
): Promise<MoatError | null> {
  const { chat } = target.provider;
  if (canPassThrough(call, target)) {
    const edits = planRequestEdits(call, target, wire);
    const stripUsage = call.dialect.name === 'openai-chat' && forceStreamUsage(target, wire, edits);
    return relayWithinCapacity(call, target, {
      path: chat.path,
      body: hasEdits(edits) ? editJsonBody(body, edits) : body,
      stream: request.stream,
      attempt,
      deferFailure,
      createSink: () =>
        new PassthroughSink(chat.createObserver(), {
          terminalMarker: chat.terminalMarker,
          ...(stripUsage ? { clientView: stripUsageOnlyEvents } : {}),
          counting: { request, wire: chat, model: target.entry },
        }),
    });
  }
  checkTranslatedOptions(call, target, request);
  return relayWithinCapacity(call, target, {
    path: chat.path,
    body: chat.encodeRequest(request, target.upstreamModel, target.entry, call.warnings),
    stream: request.stream,
    attempt,
    deferFailure,
    createSink: () => new TranslatingSink(chat, call.dialect, request, target.entry, call.responseFilters),
  });
}
