import { finalStatus, type Call } from './call.ts';

/**
 * Last stage, run when the response closes: metrics and one access-log line. Only ids, names,
 * numbers and error codes are recorded — never bodies or keys.
 */
export function recordOutcome(call: Call): void {
  const { outcome, metrics, target } = call;
  const seconds = (performance.now() - call.startedAt) / 1000;
  const provider = target?.provider.name ?? 'none';
  const modelRoute = target?.entry.name ?? 'none';
  const status = finalStatus(outcome);
  metrics.requests.inc({ endpoint: call.endpoint, provider, model_route: modelRoute, status: String(status) });
  if (outcome.errorCode) metrics.errors.inc({ endpoint: call.endpoint, code: outcome.errorCode });
  if (target) {
    metrics.duration.observe({ endpoint: call.endpoint, provider, model_route: modelRoute, stream: call.stream ? 'true' : 'false' }, seconds);
    if (outcome.ttftMs !== null) metrics.ttft.observe({ provider, model_route: modelRoute }, outcome.ttftMs / 1000);
    const usage = outcome.usage;
    if (usage) {
      metrics.tokens.inc({ provider, model_route: modelRoute, kind: 'input' }, usage.inputTokens);
      metrics.tokens.inc({ provider, model_route: modelRoute, kind: 'output' }, usage.outputTokens);
      if (usage.reasoningTokens) metrics.tokens.inc({ provider, model_route: modelRoute, kind: 'reasoning' }, usage.reasoningTokens);
      if (usage.cachedInputTokens) metrics.tokens.inc({ provider, model_route: modelRoute, kind: 'cached_input' }, usage.cachedInputTokens);
    }
  }
  if (call.endpoint === 'metrics' || call.endpoint === 'health' || call.endpoint === 'ready') return;
  call.logger.info(
    {
      reqId: call.id,
      ...(call.clientRequestId !== null ? { clientReqId: call.clientRequestId } : {}),
      endpoint: call.endpoint,
      status,
      ms: Math.round(seconds * 10_000) / 10,
      key: call.keyName,
      provider: target?.provider.name,
      modelRoute: target?.entry.name,
      stream: call.stream,
      ...(outcome.errorCode ? { code: outcome.errorCode } : {}),
      ...(outcome.ttftMs !== null ? { ttftMs: Math.round(outcome.ttftMs * 10) / 10 } : {}),
      ...(outcome.usage ? { tokensIn: outcome.usage.inputTokens, tokensOut: outcome.usage.outputTokens, tokensReasoning: outcome.usage.reasoningTokens } : {}),
    },
    'request',
  );
}
