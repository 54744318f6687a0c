import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { registerEvalRouter } from '../../cli/eval-router.ts';
import { loadDifficultyRouter } from '../../difficulty/index.ts';
import { readTraffic, trafficShares } from './traffic-shares.ts';

const dir = mkdtempSync(join(tmpdir(), 'moat-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('premiumShare on the operator’s own traffic', () => {
  const file = join(dir, 'traffic.jsonl');
  writeFileSync(
    file,
    [
      JSON.stringify({ prompt: 'Where is my card?' }),
      JSON.stringify({ messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Prove the four colour theorem.' }] }, { role: 'assistant', content: 'no' }] }),
      'plain text line, not JSON',
      '',
    ].join('\n'),
  );

  it('reads prompts, chat messages and plain lines', () => {
    expect(readTraffic(file)).toEqual([
      { text: 'Where is my card?', messages: 1, hasSystem: false },
      { text: 'Be brief.\nProve the four colour theorem.', messages: 3, hasSystem: true },
      { text: 'plain text line, not JSON', messages: 1, hasSystem: false },
    ]);
  });

  it('gives a share that never falls as the setting rises, and the CLI prints it', async () => {
    const rows = trafficShares(loadDifficultyRouter(), readTraffic(file));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.premium).toBeGreaterThanOrEqual(rows[i - 1]!.premium);
    let out = '';
    const program = new Command('moat').exitOverride().configureOutput({ writeOut: (s) => (out += s) });
    registerEvalRouter(program);
    await program.parseAsync(['node', 'moat', 'eval', 'router', '--traffic', file]);
    expect(out).toContain('3 prompts of your traffic');
    expect(out).toContain('| 0.3 |');
  });
});
