import type { CanonicalRequest } from '../canonical/index.ts';
import { editJsonBody, hasEdits } from '../passthrough/index.ts';
import type { Call, Target } from './call.ts';
import { PassthroughSink } from './passthrough-sink.ts';
import { checkTranslatedOptions, planRequestEdits } from './plan-request-edits.ts';
import { relayUpstream } from './relay-upstream.ts';
import { TranslatingSink } from './translating-sink.ts';

/**
 * Stages 4–5 for chat: passthrough when the upstream speaks the client's API (the client's bytes, with
 * only the changed members rewritten), translation through the canonical model otherwise.
 */
export function forwardChat(call: Call, target: Target, request: CanonicalRequest, wire: Record<string, unknown>, body: Buffer): Promise<void> {
  const { chat } = target.provider;
  if (target.provider.nativeDialect === call.dialect.name) {
    const edits = planRequestEdits(call, target, wire);
    return relayUpstream(call, target, {
      path: chat.path,
      body: hasEdits(edits) ? editJsonBody(body, edits) : body,
      stream: request.stream,
      sink: new PassthroughSink(chat.createObserver()),
    });
  }
  checkTranslatedOptions(call, target, request);
  return relayUpstream(call, target, {
    path: chat.path,
    body: chat.encodeRequest(request, target.upstreamModel, target.entry, call.warnings),
    stream: request.stream,
    sink: new TranslatingSink(chat, call.dialect, request, target.entry),
  });
}
