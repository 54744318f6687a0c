import { describe } from 'vitest';
import { useBackend } from './contract/contract-context.ts';
import { describeBudgets } from './contract/budgets.contract.ts';
import { describeCredentials } from './contract/credentials.contract.ts';
import { describeKeys } from './contract/keys.contract.ts';
import { describeLedger } from './contract/ledger.contract.ts';
import { describeMigrations } from './contract/migrations.contract.ts';
import { describeTenants } from './contract/tenants.contract.ts';
import { TEST_BACKENDS } from './contract/test-backends.ts';

/**
 * One contract, every backend (STYLE.md rule 12; kysely's DIALECTS loop is the model). A backend
 * that cannot open fails its suite: PostgreSQL is never skipped.
 */
for (const backend of TEST_BACKENDS) {
  describe(`storage contract on ${backend.name}`, () => {
    const ctx = useBackend(backend);
    describe('migrations', () => describeMigrations(ctx));
    describe('tenants', () => describeTenants(ctx));
    describe('keys', () => describeKeys(ctx));
    describe('ledger', () => describeLedger(ctx));
    describe('credentials', () => describeCredentials(ctx));
    describe('budgets', () => describeBudgets(ctx));
  });
}
