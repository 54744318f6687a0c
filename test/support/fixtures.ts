import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../../src/providers/openai/__fixtures__/', import.meta.url));

export function fixtureBytes(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

export const CHAT_CASES = ['chat-text', 'chat-parallel-tools', 'chat-reasoning', 'chat-unknown-fields'] as const;
export type ChatCase = (typeof CHAT_CASES)[number];
