import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatParam } from '../errors/index.ts';
import { checkRoutes } from './check-routes.ts';
import { configSchema, type MoatConfig } from './schema.ts';
import { DEFAULT_CONFIG_YAML } from './default-config.ts';

/** A config that cannot be used; `problems` are fix-it lines for a person. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`Invalid config (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadedConfig {
  config: MoatConfig;
  /** The file it came from, or `<embedded defaults>`. */
  source: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export function loadConfigFile(path: string, env: Env = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  return { config: parseConfigText(text, path, env), source: path };
}

export function loadDefaultConfig(env: Env = process.env): LoadedConfig {
  return { config: parseConfigText(DEFAULT_CONFIG_YAML, '<embedded defaults>', env), source: '<embedded defaults>' };
}

export function parseConfigText(text: string, source: string, env: Env = process.env): MoatConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(source, doc.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0]}`));
  }
  const raw: unknown = doc.toJS() ?? {};
  const problems: string[] = [];
  const interpolated = interpolateEnv(raw, env, '', problems);
  if (problems.length > 0) throw new ConfigError(source, problems);
  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues.map(describeIssue));
  const crossProblems = checkReferences(parsed.data);
  if (crossProblems.length > 0) throw new ConfigError(source, crossProblems);
  return parsed.data;
}

/** `${NAME}` and `${NAME:-fallback}` in any string value take the environment variable's value. */
function interpolateEnv(value: unknown, env: Env, path: string, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      problems.push(`${path || '(root)'}: environment variable ${name} is not set (set it, or write \${${name}:-default})`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateEnv(v, env, `${path}[${i}]`, problems));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, path ? `${path}.${k}` : k, problems)]),
    );
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = formatParam(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (check the spelling against docs/config.md)`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${where}: is required (expected ${issue.expected})`;
  return `${where}: ${issue.message}`;
}

function checkReferences(config: MoatConfig): string[] {
  const problems: string[] = [];
  const providerNames = Object.keys(config.providers);
  const seen = new Set<string>();
  config.models.forEach((model, i) => {
    if (!(model.provider in config.providers)) {
      const known = providerNames.length > 0 ? providerNames.join(', ') : 'none are defined';
      problems.push(`models[${i}].provider: '${model.provider}' is not under providers (defined: ${known})`);
    }
    if (seen.has(model.name)) problems.push(`models[${i}].name: '${model.name}' is listed twice`);
    seen.add(model.name);
  });
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(config.server.host);
  if (!loopback && config.auth.keys.length === 0) {
    problems.push(`server.host: '${config.server.host}' is reachable from other machines, so auth.keys must list at least one key`);
  }
  problems.push(...checkRoutes(config));
  return problems;
}
