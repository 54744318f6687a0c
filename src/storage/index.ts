export { openStorage, DEFAULT_SQLITE_PATH } from './open-storage.ts';
export type { Storage, StorageOptions } from './open-storage.ts';
export { isUniqueViolation } from './unique-violation.ts';
export type { EpochMs, JsonObject, NewTenant, Tenant, TenantStore } from './tenant-store.ts';
export type { ApiKey, KeyClass, KeyReplacement, KeyStore, NewApiKey } from './key-store.ts';
export type { LedgerRow, LedgerStore, SpendGroupBy, SpendQuery, SpendRow, UsageSource } from './ledger-store.ts';
export type { CredentialInput, CredentialStore, StoredCredential } from './credential-store.ts';
export type { MoatDatabase } from './schema/database.ts';
export type { Budget, BudgetMode, BudgetPeriod, BudgetScope, BudgetStore, BudgetUsage, Charge, ChargeResult, ExpiredHold, HoldRequest, NewBudget, ReserveResult } from './budget-store.ts';
