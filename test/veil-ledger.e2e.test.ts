import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Serving } from '../src/server/index.ts';
import { openStorage } from '../src/storage/index.ts';
import { writeServeConfig } from './support/serve-config.ts';
import { until } from './support/until.ts';
import { VeilUpstream } from './support/veil-upstream.ts';
import { adminRequest } from './support/admin-request.ts';

/**
 * The veil as `moat serve` runs it, with stored keys: policy by key class (external keys get
 * `hidden` by default), blobs bound to their tenant, and the ledger row of a hidden answer carrying
 * its reasoning tokens and the `reasoning_copied` flag.
 */
const ADMIN_KEY = 'moat-admin-veil-key-0123456789';
let server: VeilUpstream;
let serving: Serving;
let dir: string;
let file: string;
const env = { MOAT_ADMIN_KEY: ADMIN_KEY, MOAT_MASTER_KEY: 'a'.repeat(64) };
const keys: Record<string, string> = {};

async function admin(method: string, path: string, body?: unknown) {
  return (await adminRequest(serving.url, ADMIN_KEY, method, path, body)).body;
}

beforeAll(async () => {
  server = new VeilUpstream();
  const url = await server.start();
  ({ dir, file } = writeServeConfig('moat-veil-', `
providers:
  vllm: { type: openai-compatible, baseUrl: "${url}" }
models:
  - { name: r1-distill, provider: vllm, model: think-tags-open, reasoningFormat: think-tags-open }
  - { name: "copy-*", provider: vllm, model: "copy-*" }
`));
  serving = await serve({ configPath: file, port: 0, env });
  for (const tenant of ['acme', 'globex']) await admin('POST', '/admin/tenants', { name: tenant });
  for (const [name, tenant, keyClass] of [['acme-ext', 'acme', 'external'], ['acme-int', 'acme', 'internal'], ['globex-ext', 'globex', 'external']] as const) {
    keys[name] = String((await admin('POST', '/admin/keys', { tenant, name, class: keyClass })).key);
  }
});
afterAll(async () => {
  await serving.stop();
  await server.stop();
});

const openai = (key: string) => new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: key, maxRetries: 0 });
const ask: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is 17 × 3 + 4?' }];

describe('the veil with stored keys', () => {
  it('hides reasoning from an external key by default, shows it to an internal key', async () => {
    const external = await openai(keys['acme-ext']!).chat.completions.create({ model: 'r1-distill', messages: ask });
    const internal = await openai(keys['acme-int']!).chat.completions.create({ model: 'r1-distill', messages: ask });
    expect((internal.choices[0]!.message as { reasoning_content?: string }).reasoning_content).toContain('17 times 3');
    expect(JSON.stringify(external)).not.toContain('reasoning_content');
    expect(external.choices[0]!.message.content).toBe(internal.choices[0]!.message.content);
  });

  it("refuses a blob issued to another tenant's key", async () => {
    const client = (key: string) => new Anthropic({ baseURL: serving.url, apiKey: key, maxRetries: 0 });
    const first = await client(keys['acme-ext']!).messages.create({ model: 'r1-distill', max_tokens: 256, messages: [{ role: 'user', content: 'x' }] });
    const history: Anthropic.MessageParam[] = [{ role: 'user', content: 'x' }, { role: 'assistant', content: first.content }, { role: 'user', content: 'and then?' }];
    await expect(client(keys['acme-ext']!).messages.create({ model: 'r1-distill', max_tokens: 256, messages: history })).resolves.toBeTruthy();
    const error = await client(keys['globex-ext']!).messages.create({ model: 'r1-distill', max_tokens: 256, messages: history }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(String((error as Error).message)).toMatch(/another tenant/);
  });

  it('the ledger row of a hidden answer has its reasoning tokens, and the copy flag when the answer copies the reasoning', async () => {
    const ids: Record<string, string> = {};
    for (const [name, model, stream] of [['plain', 'r1-distill', false], ['copy', 'copy-12', false], ['copyStream', 'copy-12', true], ['short', 'copy-11', true]] as const) {
      const client = openai(keys['acme-ext']!);
      if (stream) {
        const { data, response } = await client.chat.completions.create({ model, messages: ask, stream: true }).withResponse();
        for await (const chunk of data) expect(JSON.stringify(chunk)).not.toContain('reasoning');
        ids[name] = response.headers.get('x-request-id')!;
      } else {
        const { response } = await client.chat.completions.create({ model, messages: ask }).withResponse();
        ids[name] = response.headers.get('x-request-id')!;
      }
    }
    const storage = await openStorage({ path: join(dir, 'moat.db') });
    try {
      await until(async () => (await storage.ledger.get(ids.short!)) !== undefined);
      const plain = (await storage.ledger.get(ids.plain!))!;
      expect(plain.reasoningTokens).toBeGreaterThan(10);
      expect(plain.outputTokens).toBeGreaterThanOrEqual(plain.reasoningTokens);
      expect(plain.flags).toBeNull();
      expect((await storage.ledger.get(ids.copy!))!).toMatchObject({ flags: 'reasoning_copied', reasoningTokens: 22 });
      expect((await storage.ledger.get(ids.copyStream!))!.flags).toBe('reasoning_copied');
      expect((await storage.ledger.get(ids.short!))!.flags).toBeNull();
    } finally {
      await storage.close();
    }
  });

  it('blobs sealed under MOAT_MASTER_KEY still open after a restart', async () => {
    const client = () => new Anthropic({ baseURL: serving.url, apiKey: keys['acme-ext']!, maxRetries: 0 });
    const first = await client().messages.create({ model: 'r1-distill', max_tokens: 256, messages: [{ role: 'user', content: 'x' }] });
    await serving.stop();
    serving = await serve({ configPath: file, port: 0, env });
    const history: Anthropic.MessageParam[] = [{ role: 'user', content: 'x' }, { role: 'assistant', content: first.content }, { role: 'user', content: 'and then?' }];
    const next = await client().messages.create({ model: 'r1-distill', max_tokens: 256, messages: history });
    expect(next.content.map((b) => b.type)).toEqual(['redacted_thinking', 'text']);
  });
});
