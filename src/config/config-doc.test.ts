import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadConfigFile } from './load-config.ts';
import { configSchema } from './schema.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every key path the schema accepts, with `<name>` for record keys and `[]` for array items. */
function keyPaths(schema: z.core.$ZodType, prefix: string, out: Set<string>): Set<string> {
  const def = schema._zod.def as unknown as Record<string, unknown> & { type: string };
  switch (def.type) {
    case 'default':
    case 'optional':
    case 'nullable':
    case 'pipe':
      return keyPaths((def.innerType ?? def.in) as z.core.$ZodType, prefix, out);
    case 'object':
      for (const [key, value] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
        const path = prefix ? `${prefix}.${key}` : key;
        out.add(path);
        keyPaths(value, path, out);
      }
      return out;
    case 'array':
      return keyPaths(def.element as z.core.$ZodType, `${prefix}[]`, out);
    case 'record':
      return keyPaths(def.valueType as z.core.$ZodType, `${prefix}.<name>`, out);
    case 'union':
      for (const option of def.options as z.core.$ZodType[]) keyPaths(option, prefix, out);
      return out;
    default:
      return out;
  }
}

describe('docs/config.md', () => {
  it('documents every key the config schema accepts', () => {
    const doc = readFileSync(`${root}docs/config.md`, 'utf8');
    const paths = [...keyPaths(configSchema, '', new Set())];
    expect(paths.length).toBeGreaterThan(25);
    const missing = paths.filter((p) => !doc.includes(`\`${p}\``));
    expect(missing).toEqual([]);
  });

  it('config/moat.example.yaml is a valid config', () => {
    const { config } = loadConfigFile(`${root}config/moat.example.yaml`, { MOAT_KEY_PLATFORM: 'x'.repeat(32) });
    expect(Object.keys(config.providers)).toEqual(['openai', 'vllm', 'ollama', 'deepseek']);
    expect(config.models.length).toBeGreaterThan(5);
  });
});
