import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, loadDefaultConfig, parseConfigText, type Env } from './load-config.ts';

/** The problems a config text is rejected with; fails the test if it is accepted or throws anything else. */
function problemsOf(text: string, env: Env = {}): string[] {
  try {
    parseConfigText(text, 'test.yaml', env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('test.yaml');
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

const withProvider = (models: string): string => `providers:\n  openai:\n    type: openai\n  local:\n    type: openai-compatible\n    baseUrl: http://127.0.0.1:8000/v1\nmodels:\n${models}`;

describe('parseConfigText', () => {
  it('gives the defaults for an empty text', () => {
    const config = parseConfigText('', 'empty.yaml', {});
    expect(config.server).toEqual({ host: '127.0.0.1', port: 4100, bodyLimitBytes: 10 * 1024 * 1024, shutdownGraceMs: 10_000 });
    expect(config.auth.keys).toEqual([]);
    expect(config.providers).toEqual({});
    expect(config.models).toEqual([]);
    expect(config.log.level).toBe('info');
    expect(config.timeouts).toEqual({ headersMs: 600_000, idleMs: 300_000, keepAliveMs: 15_000 });
  });

  it('fills provider defaults', () => {
    const config = parseConfigText('providers:\n  openai:\n    type: openai\n', 't.yaml', {});
    expect(config.providers.openai).toMatchObject({ type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', connections: 256 });
  });

  it('interpolates ${VAR} and ${VAR:-default}; a whole-value variable takes its YAML type', () => {
    const text = 'server:\n  port: ${PORT}\n  host: ${HOST:-127.0.0.1}\nproviders:\n  local:\n    type: openai-compatible\n    baseUrl: http://${UP_HOST}:${UP_PORT:-8000}/v1\n';
    const config = parseConfigText(text, 't.yaml', { PORT: '5123', UP_HOST: 'gpu-box' });
    expect(config.server.port).toBe(5123);
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.providers.local!.baseUrl).toBe('http://gpu-box:8000/v1');
    // A set variable beats the default; an empty one counts as unset, as in the shell's `:-`.
    expect(parseConfigText('server:\n  port: ${PORT:-4100}\n', 't.yaml', { PORT: '6000' }).server.port).toBe(6000);
    expect(parseConfigText('server:\n  port: ${PORT:-4100}\n', 't.yaml', { PORT: '' }).server.port).toBe(4100);
  });

  it('rejects an unset variable without a default, naming the variable and where it is used', () => {
    const problems = problemsOf('server:\n  port: ${MOAT_TEST_PORT}\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('MOAT_TEST_PORT');
    expect(problems[0]).toMatch(/^server\.port: /);
  });

  it('rejects an unknown key, naming it and its path', () => {
    const problems = problemsOf('server:\n  prot: 4100\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^server: /);
    expect(problems[0]).toContain("'prot'");
    expect(problemsOf('providers:\n  openai:\n    type: openai\n    apiKey: sk-x\n')[0]).toMatch(/^providers\.openai: .*'apiKey'/);
  });

  it('rejects an unknown provider type', () => {
    const problems = problemsOf('providers:\n  gem:\n    type: gemini\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^providers\.gem\.type: /);
    expect(problems[0]).toContain('openai, openai-compatible, anthropic');
  });

  it('rejects a model whose provider is not defined, listing the defined ones', () => {
    const problems = problemsOf(withProvider('  - { name: gpt-4o, provider: openia }\n'));
    expect(problems).toEqual(["models[0].provider: 'openia' is not under providers (defined: openai, local)"]);
    expect(problemsOf('models:\n  - { name: m, provider: p }\n')[0]).toContain('none are defined');
  });

  it('rejects a model name listed twice', () => {
    const problems = problemsOf(withProvider('  - { name: gpt-4o, provider: openai }\n  - { name: fast, provider: local }\n  - { name: gpt-4o, provider: local }\n'));
    expect(problems).toEqual(["models[2].name: 'gpt-4o' is listed twice"]);
  });

  it('requires auth keys when the host is reachable from other machines', () => {
    const problems = problemsOf('server:\n  host: 0.0.0.0\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^server\.host: '0\.0\.0\.0'.*auth\.keys/);
    for (const host of ['127.0.0.1', 'localhost', '::1']) {
      expect(parseConfigText(`server:\n  host: "${host}"\n`, 't.yaml', {}).server.host).toBe(host);
    }
    const withKey = parseConfigText('server:\n  host: 0.0.0.0\nauth:\n  keys:\n    - { name: ci, keyEnv: MOAT_CI_KEY }\n', 't.yaml', {});
    expect(withKey.auth.keys).toEqual([{ name: 'ci', keyEnv: 'MOAT_CI_KEY' }]);
  });

  it('rejects an auth key that gives more than one of key, keyEnv and keySha256', () => {
    const problems = problemsOf('auth:\n  keys:\n    - { name: a, key: "0123456789abcdef-long", keyEnv: MOAT_KEY }\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^auth\.keys\[0\]: /);
    expect(problems[0]).toContain('exactly one of `key`, `keyEnv` or `keySha256`');
    expect(problemsOf('auth:\n  keys:\n    - { name: a }\n')[0]).toMatch(/^auth\.keys\[0\]: .*exactly one/);
  });

  it('reports YAML syntax errors as problems', () => {
    expect(problemsOf('server: [unclosed\n')[0]).toMatch(/^YAML syntax: /);
  });

  // Regression: a whole-value variable with a leading zero once escaped as a SyntaxError.
  it('turns a whole-value variable with a leading zero into a number or a ConfigError, not a SyntaxError', () => {
    let caught: unknown;
    try {
      parseConfigText('server:\n  port: ${PORT}\n', 't.yaml', { PORT: '08080' });
    } catch (error) {
      caught = error;
    }
    expect(caught === undefined || caught instanceof ConfigError).toBe(true);
  });

  it('collects every unset variable before failing', () => {
    const problems = problemsOf('server:\n  host: ${A_HOST}\n  port: ${A_PORT}\n');
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('A_HOST');
    expect(problems.join('\n')).toContain('A_PORT');
  });
});

describe('loadDefaultConfig', () => {
  it('loads the embedded defaults with an empty environment', () => {
    const { config, source } = loadDefaultConfig({});
    expect(source).toBe('<embedded defaults>');
    expect(config.server.port).toBe(4100);
    expect(config.server.host).toBe('127.0.0.1');
    expect(Object.keys(config.providers).sort()).toEqual(['anthropic', 'ollama', 'openai']);
    expect(config.models.map((m) => m.name)).toContain('gpt-*');
  });

  it('takes MOAT_PORT from the environment', () => {
    expect(loadDefaultConfig({ MOAT_PORT: '4321' }).config.server.port).toBe(4321);
  });
});

describe('loadConfigFile', () => {
  it('throws a ConfigError for a missing file', () => {
    const path = join(tmpdir(), 'moat-does-not-exist', 'moat.yaml');
    let caught: unknown;
    try {
      loadConfigFile(path, {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toContain(path);
    expect((caught as ConfigError).problems).toEqual(['cannot read the file: ENOENT']);
  });

  it('reads and validates a file, naming it as the source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moat-config-'));
    try {
      const path = join(dir, 'moat.yaml');
      writeFileSync(path, 'server:\n  port: ${P}\n');
      expect(loadConfigFile(path, { P: '4999' })).toMatchObject({ source: path, config: { server: { port: 4999 } } });
      writeFileSync(path, 'sever: {}\n');
      expect(() => loadConfigFile(path, {})).toThrow(ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
