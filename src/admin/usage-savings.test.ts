import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerKeyCommands } from '../keys/cli.ts';
import { ledgerRow } from '../metering/ledger-row.fixture.ts';
import { openStorage } from '../storage/index.ts';
import type { Storage } from '../storage/index.ts';
import { getUsage } from './usage-handlers.ts';

const dir = mkdtempSync(join(tmpdir(), 'moat-usage-'));
const db = join(dir, 'moat.db');
const DAY = Date.UTC(2035, 2, 3, 12);
let storage: Storage;

beforeAll(async () => {
  storage = openStorage({ path: db });
  await storage.migrate();
  await storage.ledger.insertBatch([
    ledgerRow('local-1', { tenantId: 't-a', costMicros: 0n, baselineCostMicros: 2_500_000n, createdAt: DAY }),
    ledgerRow('premium-1', { tenantId: 't-a', costMicros: 1_000_000n, baselineCostMicros: 1_000_000n, createdAt: DAY }),
    ledgerRow('old-1', { tenantId: 't-b', costMicros: 300n, baselineCostMicros: null, createdAt: DAY }),
  ]);
});
afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('usage API and CLI with a savings baseline', () => {
  it('GET /admin/usage returns baseline cost and savings per group, null where no row has a baseline', async () => {
    const result = await getUsage({ stores: storage, role: 'admin', now: DAY }, { query: { groupBy: 'tenant', from: '2035-03-03', to: '2035-03-03' } });
    expect(result.body.data).toEqual([
      expect.objectContaining({ group: 't-a', requests: 2, costUsd: '1.000000', baselineCostMicros: '3500000', baselineCostUsd: '3.500000', savingsMicros: '2500000', savingsUsd: '2.500000' }),
      expect.objectContaining({ group: 't-b', requests: 1, costUsd: '0.000300', baselineCostMicros: null, baselineCostUsd: null, savingsMicros: null, savingsUsd: null }),
    ]);
    const csv = await getUsage({ stores: storage, role: 'admin', now: DAY }, { query: { groupBy: 'tenant', from: '2035-03-03', to: '2035-03-03', format: 'csv' } });
    expect(csv.csv?.split('\n').slice(0, 3)).toEqual([
      'group,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd,baseline_cost_usd,savings_usd',
      't-a,2,4012,3840,0,600,0,1.000000,3.500000,2.500000',
      't-b,1,2006,1920,0,300,0,0.000300,,',
    ]);
  });

  it('groupBy=request gives each request its own cost, baseline and saving', async () => {
    const result = await getUsage({ stores: storage, role: 'admin', now: DAY }, { query: { groupBy: 'request', from: '2035-03-03', to: '2035-03-03' } });
    expect((result.body.data as Array<Record<string, unknown>>).map((r) => [r.group, r.costUsd, r.baselineCostUsd, r.savingsUsd])).toEqual([
      ['local-1', '0.000000', '2.500000', '2.500000'],
      ['old-1', '0.000300', null, null],
      ['premium-1', '1.000000', '1.000000', '0.000000'],
    ]);
  });

  it('`moat usage` prints the baseline and the saving', async () => {
    let stdout = '';
    const program = new Command('moat').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: () => {} });
    registerKeyCommands(program, {});
    try {
      await program.parseAsync(['node', 'moat', 'usage', '--db', db, '--group-by', 'tenant', '--from', '2035-03-03', '--to', '2035-03-03']);
    } catch (error) {
      if (!(error instanceof CommanderError)) throw error;
    }
    const lines = stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(lines[0]).toEqual(['TENANT', 'REQUESTS', 'INPUT', 'OUTPUT', 'REASONING', 'COST USD', 'BASELINE USD', 'SAVED USD']);
    expect(lines[1]).toEqual(['t-a', '2', '4012', '600', '0', '1.000000', '3.500000', '2.500000']);
    expect(lines[2]).toEqual(['t-b', '1', '2006', '300', '0', '0.000300', '-', '-']);
  });
});
