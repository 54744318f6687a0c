import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FOLDERS = ['openai', 'openai-compatible', 'anthropic'].map((provider) =>
  fileURLToPath(new URL(`../../src/providers/${provider}/__fixtures__/`, import.meta.url)),
);

/** A fixture file from any provider's `__fixtures__` folder (names do not collide). */
export function fixtureBytes(name: string): Buffer {
  for (const folder of FOLDERS) if (existsSync(folder + name)) return readFileSync(folder + name);
  throw new Error(`no fixture named ${name}`);
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

export const CHAT_CASES = ['chat-text', 'chat-parallel-tools', 'chat-reasoning', 'chat-unknown-fields'] as const;
export type ChatCase = (typeof CHAT_CASES)[number];
