import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
// The project's own Node 24 (docs/decisions/0001), whatever Node runs the test runner.
const node = existsSync(`${root}node_modules/.bin/node`) ? `${root}node_modules/.bin/node` : process.execPath;

function moat(...args: string[]) {
  return spawnSync(node, [`${root}bin/moat.js`, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('moat CLI', () => {
  it('--help lists the commands', () => {
    const result = moat('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: moat');
    expect(result.stdout).toContain('serve');
  });

  it('serve --help documents --config and --port', () => {
    const result = moat('serve', '--help');
    expect(result.stdout).toContain('--config <file>');
    expect(result.stdout).toContain('--port <n>');
  });

  it('refuses an invalid config with fix-it lines and exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moat-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'server: { prot: 1 }\nproviders: { x: { type: opeani } }\n');
    const result = moat('serve', '--config', file);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("server: unknown key 'prot'");
    expect(result.stderr).toContain('providers.x.type');
    expect(result.stderr).toContain('docs/config.md');
  });

  it('refuses a bad --port', () => {
    const result = moat('serve', '--port', 'eighty');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('must be a whole number');
  });

  it('serves on embedded defaults and stops cleanly on SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    // A fresh folder as working directory: embedded defaults keep their database in ./.moat/.
    const cwd = mkdtempSync(join(tmpdir(), 'moat-cli-serve-'));
    const child = spawn(node, [`${root}bin/moat.js`, 'serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], cwd });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in: ${out}`)), 10_000);
      child.stdout.on('data', () => {
        const match = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const models = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{"model":"no-such","messages":[{"role":"user","content":"x"}]}' });
    expect(models.status).toBe(404);
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toContain('shutdown complete');
    expect(existsSync(join(cwd, '.moat', 'moat.db'))).toBe(true);
  });
});
