import { encodeAnthropicModelList } from '../dialects/anthropic-messages/index.ts';
import type { Call } from '../pipeline/index.ts';
import { authenticate, writeHead } from '../pipeline/index.ts';

function sendJson(call: Call, status: number, value: unknown): void {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  call.outcome.status = status;
  writeHead(call, status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  call.res.end(body);
}

/**
 * GET /v1/models: the routes (names and aliases) and exact model names in config, in OpenAI's list
 * shape — or Anthropic's when the client is an Anthropic SDK (it sends `anthropic-version`). Patterns
 * are not listed.
 */
export async function handleModels(call: Call): Promise<void> {
  await authenticate(call);
  const routes = call.runtime.routes.routeNames().map((name) => ({ name, ownedBy: 'moat', provider: 'moat' }));
  const entries = [...routes, ...call.runtime.models.exactNames()];
  if (call.dialect.name === 'anthropic-messages') {
    sendJson(call, 200, encodeAnthropicModelList(entries.map((entry) => ({ id: entry.name }))));
    return;
  }
  const data = entries.map((entry) => ({
    id: entry.name,
    object: 'model',
    created: 0,
    owned_by: entry.ownedBy ?? entry.provider,
  }));
  sendJson(call, 200, { object: 'list', data });
}

/** GET /healthz: the process is up. */
export function handleHealth(call: Call): void {
  sendJson(call, 200, { status: 'ok' });
}

/** GET /readyz: the process takes traffic (503 while draining for shutdown). */
export function handleReady(call: Call, draining: boolean): void {
  sendJson(call, draining ? 503 : 200, { status: draining ? 'draining' : 'ready' });
}

export async function handleMetrics(call: Call): Promise<void> {
  const text = await call.metrics.registry.metrics();
  call.outcome.status = 200;
  writeHead(call, 200, { 'content-type': call.metrics.registry.contentType, 'content-length': String(Buffer.byteLength(text)) });
  call.res.end(text);
}
