import type { MasterKeyring } from '../credentials/master-key.ts';
import type { UpstreamHealth } from '../routing/index.ts';
import type { SlaTracker } from '../sla/index.ts';
import type { EpochMs, Storage } from '../storage/index.ts';
import type { AdminRole } from './admin-auth.ts';

export type AdminStores = Pick<Storage, 'tenants' | 'keys' | 'ledger' | 'credentials' | 'budgets'>;

export interface AdminContext {
  stores: AdminStores;
  /** The caller's role; `callAdminRoute` checks it against the route's. */
  role: AdminRole;
  now: EpochMs;
  /** Encrypts provider credentials; absent when `MOAT_MASTER_KEY` is not set (decision 0011). */
  masterKeys?: MasterKeyring | null;
  /** The gateway's SLA figures (`GET /admin/sla`); absent when `sla.enabled` is false. */
  sla?: SlaTracker | null;
  /** Breakers, latency averages and probe verdicts per upstream (`GET /admin/upstreams`). */
  health?: UpstreamHealth | null;
}

/** What a request brings, before validation: path parameters, the query string and the parsed body. */
export interface AdminInput {
  params?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, string>>;
  body?: unknown;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface AdminResult {
  status: number;
  body: { [key: string]: JsonValue };
  /** When set, the answer is this CSV text instead of the JSON body (exports). */
  csv?: string;
}

export type AdminHandler = (ctx: AdminContext, input: AdminInput) => Promise<AdminResult>;
