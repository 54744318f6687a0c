import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { resolveDataDir } from '../eval/router/data-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA = process.env.MOAT_DATA_DIR ?? join(ROOT, '../shared/data');

it('`npm run train:router` rebuilds the committed src/difficulty/model.json byte for byte', () => {
  resolveDataDir(DATA);
  const dir = mkdtempSync(join(tmpdir(), 'moat-train-'));
  try {
    const out = join(dir, 'model.json');
    const run = spawnSync(process.execPath, ['scripts/train-router.ts', '--data', DATA, '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'src/difficulty/model.json'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 180_000);
