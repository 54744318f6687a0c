import { handleAdminRequest, type AdminStores } from '../admin/index.ts';
import type { MasterKeyring } from '../credentials/index.ts';
import { readBody, writeHead, type Call } from '../pipeline/index.ts';

/**
 * `/admin/*`: the admin API (src/admin) over HTTP. Admin keys come from the runtime, so a config
 * reload changes them; the stores are the gateway's database; `masterKeys` encrypt stored provider
 * credentials (null when `MOAT_MASTER_KEY` is not set).
 */
export function createAdminEndpoint(stores: AdminStores, afterWrite: () => void = () => {}, masterKeys: MasterKeyring | null = null): (call: Call) => Promise<void> {
  return async (call) => {
    const body = await readBody(call);
    const response = await handleAdminRequest(
      { stores, adminKeys: call.runtime.adminKeys, masterKeys, sla: call.sla, health: call.health },
      { method: call.req.method ?? 'GET', url: call.req.url ?? '/', headers: call.req.headers, body, requestId: call.id },
    );
    if (response.error !== undefined) call.logger.error({ reqId: call.id, err: response.error }, 'admin request failed');
    call.outcome.status = response.status;
    // This replica applies its own key changes at once; the others on their next refresh.
    if (call.req.method !== 'GET' && response.status < 300) afterWrite();
    writeHead(call, response.status, { ...response.headers, 'content-length': String(Buffer.byteLength(response.body)) });
    call.res.end(response.body);
  };
}
