import type { MasterKeyring } from '../credentials/master-key.ts';
import { parseJsonObject } from '../dialects/parse-json-object.ts';
import { toMoatError } from '../errors/index.ts';
import type { UpstreamHealth } from '../routing/index.ts';
import type { SlaTracker } from '../sla/index.ts';
import type { EpochMs } from '../storage/index.ts';
import { authenticateAdmin } from './admin-auth.ts';
import type { AdminKey, RequestHeaders } from './admin-auth.ts';
import type { AdminStores } from './admin-context.ts';
import { adminErrorBody } from './admin-error-body.ts';
import { callAdminRoute, matchAdminRoute } from './admin-routes.ts';

export interface AdminApi {
  stores: AdminStores;
  adminKeys: readonly AdminKey[];
  /** Default `Date.now`. */
  clock?: () => EpochMs;
  /** Encrypts stored provider credentials; without it, `PUT /admin/credentials/:name` answers 503. */
  masterKeys?: MasterKeyring | null;
  /** The gateway's SLA figures; without it, `GET /admin/sla` answers 503. */
  sla?: SlaTracker | null;
  /** Upstream breakers and probes; without it, `GET /admin/upstreams` lists none. */
  health?: UpstreamHealth | null;
}

export interface AdminRequest {
  method: string;
  /** Path and query, e.g. `/admin/keys?tenant=acme`. */
  url: string;
  headers: RequestHeaders;
  /** The raw body; empty or absent means none. */
  body?: Buffer | string;
  requestId: string;
}

export interface AdminResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * One admin request, transport-free: authenticate, route, check the role, validate, run. Errors come
 * back as OpenAI error bodies; the caller only writes the response (and logs `error` when status ≥ 500).
 */
export async function handleAdminRequest(api: AdminApi, request: AdminRequest): Promise<AdminResponse & { error?: unknown }> {
  try {
    const principal = authenticateAdmin(request.headers, api.adminKeys);
    const url = new URL(request.url, 'http://admin.invalid');
    const { route, params } = matchAdminRoute(request.method, url.pathname);
    const bytes = typeof request.body === 'string' ? Buffer.from(request.body) : request.body;
    const body = bytes === undefined || bytes.toString().trim() === '' ? undefined : parseJsonObject(bytes);
    const ctx = { stores: api.stores, role: principal.role, now: (api.clock ?? Date.now)(), masterKeys: api.masterKeys ?? null, sla: api.sla ?? null, health: api.health ?? null };
    const result = await callAdminRoute(route, ctx, { params, query: Object.fromEntries(url.searchParams), body });
    if (result.csv !== undefined) return { status: result.status, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: result.csv };
    return { status: result.status, headers: JSON_HEADERS, body: JSON.stringify(result.body) };
  } catch (thrown) {
    const error = toMoatError(thrown);
    return { status: error.status, headers: JSON_HEADERS, body: adminErrorBody(error, request.requestId), ...(error.status >= 500 ? { error: thrown } : {}) };
  }
}
