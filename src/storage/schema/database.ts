import type { ColumnType } from 'kysely';
import type { DbInteger } from '../column-values.ts';

/**
 * The tables as Kysely sees them. Integers are read as whatever the driver gives (see
 * column-values.ts) and written as number or bigint. Times are epoch milliseconds (UTC) in BIGINT
 * columns; JSON is text. Decision 0009 says why.
 */
type Integer = ColumnType<DbInteger, number | bigint, number | bigint>;
type NullableInteger = ColumnType<DbInteger | null, number | bigint | null | undefined, number | bigint | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface TenantsTable {
  id: string;
  name: string;
  metadata: string | null;
  created_at: Integer;
}

export interface ApiKeysTable {
  id: string;
  tenant_id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  tier: Defaulted<string>;
  class: Defaulted<string>;
  allowed_models: string | null;
  metadata: string | null;
  expires_at: NullableInteger;
  revoked_at: NullableInteger;
  created_at: Integer;
  rotated_from_id: string | null;
}

export interface UsageLedgerTable {
  request_id: string;
  key_id: string;
  tenant_id: string;
  requested_model: string;
  served_model: string;
  provider: string;
  input_tokens: Integer;
  cached_input_tokens: Integer;
  cache_write_tokens: Integer;
  output_tokens: Integer;
  reasoning_tokens: Integer;
  cost_micros: Integer;
  usage_source: string;
  latency_ms: Integer;
  ttft_ms: NullableInteger;
  status: Integer;
  error_code: string | null;
  route_reason: string | null;
  attempts: ColumnType<DbInteger, number | bigint | undefined, number | bigint>;
  flags: string | null;
  baseline_cost_micros: NullableInteger;
  created_at: Integer;
}

export interface ProviderCredentialsTable {
  name: string;
  ciphertext: string;
  iv: string;
  auth_tag: string;
  key_version: Integer;
  created_at: Integer;
  updated_at: Integer;
}

export interface BudgetsTable {
  id: string;
  scope: string;
  scope_id: string;
  period: string;
  limit_micros: Integer;
  mode: string;
  name: string | null;
  created_at: Integer;
}

export interface BudgetUsageTable {
  budget_id: string;
  period_start: Integer;
  spent_micros: Integer;
  reserved_micros: Integer;
}

export interface BudgetHoldsTable {
  request_id: string;
  budget_id: string;
  period_start: Integer;
  amount_micros: Integer;
  state: string;
  expires_at: Integer;
}

export interface MoatDatabase {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  usage_ledger: UsageLedgerTable;
  provider_credentials: ProviderCredentialsTable;
  budgets: BudgetsTable;
  budget_usage: BudgetUsageTable;
  budget_holds: BudgetHoldsTable;
}
