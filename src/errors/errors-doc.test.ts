import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from './errors.ts';

/** The rows of docs/errors.md's table: `| \`code\` | status | \`type\` | when | what to do |`. */
function documentedErrors(): Map<string, { status: number; type: string; when: string; todo: string }> {
  const text = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, { status: number; type: string; when: string; todo: string }>();
  for (const line of text.split('\n')) {
    const match = /^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*`([a-z_]+)`\s*\|(.*)\|(.*)\|\s*$/.exec(line);
    if (!match) continue;
    const [, code, status, type, when, todo] = match;
    expect(rows.has(code!), `${code} is documented twice`).toBe(false);
    rows.set(code!, { status: Number(status), type: type!, when: when!.trim(), todo: todo!.trim() });
  }
  return rows;
}

describe('docs/errors.md', () => {
  const documented = documentedErrors();

  it('documents every code in ERROR_CATALOGUE with its status and type', () => {
    for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
      const row = documented.get(code);
      expect(row, `${code} is missing from docs/errors.md`).toBeDefined();
      expect(row!.status, `status of ${code}`).toBe(spec.status);
      expect(row!.type, `type of ${code}`).toBe(spec.type);
      expect(row!.when, `when ${code} happens`).not.toBe('');
      expect(row!.todo, `what to do about ${code}`).not.toBe('');
    }
  });

  it('documents no code that ERROR_CATALOGUE lacks', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });
});
