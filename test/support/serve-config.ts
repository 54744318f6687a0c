import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh folder holding `moat.yaml` for a `moat serve` test: the embedded database and ledger
 * journal in that folder, the `ops` admin key read from `MOAT_ADMIN_KEY`, then `rest` (providers,
 * models and whatever the test needs).
 */
export function writeServeConfig(prefix: string, rest: string, options: { log?: string } = {}): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'moat.yaml');
  writeFileSync(
    file,
    `log: { level: ${options.log ?? 'silent'} }
storage: { path: ${join(dir, 'moat.db')}, journalDir: ${join(dir, 'journal')} }
admin:
  keys:
    - { name: ops, keyEnv: MOAT_ADMIN_KEY, role: admin }
${rest}`,
  );
  return { dir, file };
}
