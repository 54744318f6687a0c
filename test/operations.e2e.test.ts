import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { serve } from '../src/server/index.ts';
import { FakeUpstream } from './support/fake-upstream.ts';
import { CLIENT_KEY, startTestGateway, testConfigYaml } from './support/start-gateway.ts';
import { until } from './support/until.ts';

const ask = (model: string, content = 'hello') => ({ model, messages: [{ role: 'user' as const, content }] });

describe('graceful shutdown', () => {
  it('finishes streams in flight, refuses new connections, and reports nothing cut', async () => {
    const moat = await startTestGateway();
    const client = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
    const inFlight = client.chat.completions.stream({ ...ask('silent-200'), stream: true }).finalChatCompletion();
    await until(() => moat.upstream.requests.length === 1);
    // The stream and the scrape itself.
    expect(await (await fetch(`${moat.origin}/metrics`)).text()).toMatch(/^moat_requests_in_flight 2$/m);
    const shutdown = moat.gateway.shutdown(3000);
    const refused = await fetch(`${moat.origin}/healthz`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    const final = await inFlight;
    expect(final.choices[0]!.finish_reason).toBe('stop');
    expect(await shutdown).toEqual({ cut: 0 });
    await moat.upstream.stop();
  });

  it('cuts what is still running when the grace period ends', async () => {
    const moat = await startTestGateway();
    const response = fetch(`${moat.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}` },
      body: JSON.stringify({ ...ask('stall-headers') }),
    }).catch((e: unknown) => e);
    await until(() => moat.upstream.requests.length === 1);
    const started = Date.now();
    expect(await moat.gateway.shutdown(150)).toEqual({ cut: 1 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(await response).toBeInstanceOf(Error); // the client sees its connection cut
    await moat.upstream.stop();
  });
});

describe('config reload', () => {
  it('applies a changed file without dropping the request in flight, and rejects a broken one', async () => {
    const upstream = new FakeUpstream();
    const upstreamUrl = await upstream.start();
    const dir = mkdtempSync(join(tmpdir(), 'moat-reload-'));
    const file = join(dir, 'moat.yaml');
    const base = `${testConfigYaml(upstreamUrl).replace('log: { level: info }', 'log: { level: silent }')}\nstorage: { enabled: false }\n`;
    writeFileSync(file, base);
    const serving = await serve({ configPath: file, port: 0, env: { FAKE_UPSTREAM_KEY: upstream.apiKey } });
    const client = new OpenAI({ baseURL: `${serving.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
    try {
      const strictBefore = await client.chat.completions.create(ask('renamed-model')).catch((e: unknown) => e);
      expect(strictBefore).toBeInstanceOf(OpenAI.NotFoundError); // goes upstream via "*" and 404s there

      const inFlight = client.chat.completions.stream({ ...ask('silent-250'), stream: true }).finalChatCompletion();
      await until(() => upstream.requests.length === 2);
      writeFileSync(file, base.replace('- { name: "alias-text"', '- { name: "renamed-model", provider: fake, model: fx-chat-text }\n  - { name: "alias-text"'));
      await until(async () => (await client.chat.completions.create(ask('renamed-model')).catch(() => null)) !== null);
      expect((await inFlight).choices[0]!.finish_reason).toBe('stop');

      writeFileSync(file, `${base}\nthis is: [not valid`);
      await until(async () => (await (await fetch(`${serving.url}/metrics`)).text()).includes('moat_config_reloads_total{result="rejected"} 1'));
      const still = await client.chat.completions.create(ask('renamed-model'));
      expect(still.choices[0]!.message.content).toContain('Paris');
    } finally {
      await serving.stop();
      await upstream.stop();
    }
  });
});

describe('telemetry never carries prompts or keys', () => {
  it('logs and metrics hold neither prompt text nor API keys, and metrics hold the figures', async () => {
    const moat = await startTestGateway();
    const client = new OpenAI({ baseURL: moat.baseURL, apiKey: CLIENT_KEY, maxRetries: 0 });
    const marker = 'PROMPT-MARKER-7f3a9c';
    await client.chat.completions.create(ask('fx-chat-text', marker));
    await client.chat.completions.stream({ ...ask('fx-chat-text', marker), stream: true, stream_options: { include_usage: true } }).finalChatCompletion();
    await client.chat.completions.create(ask('status-400', marker)).catch(() => null);
    await client.chat.completions.create(ask(marker, marker)).catch(() => null); // a prompt-like model name
    await fetch(`${moat.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}` }, body: `{"model": "${marker}", oops` });
    await new OpenAI({ baseURL: moat.baseURL, apiKey: `sk-${marker}-wrong`, maxRetries: 0 }).chat.completions.create(ask('fx-chat-text')).catch(() => null);
    const metrics = await (await fetch(`${moat.origin}/metrics`)).text();
    await moat.close();
    const logs = moat.logs();

    for (const text of [logs, metrics]) {
      expect(text).not.toContain(marker);
      expect(text).not.toContain(CLIENT_KEY);
      expect(text).not.toContain(moat.upstream.apiKey);
      expect(text).not.toContain('The capital of France');
    }
    expect(logs.split('\n').filter((l) => l.includes('"msg":"request"'))).toHaveLength(6);
    expect(metrics).toMatch(/moat_request_duration_seconds_count\{endpoint="chat_completions",provider="fake",model_route="fx-\*",stream="true"\} 1/);
    expect(metrics).toMatch(/moat_time_to_first_token_seconds_count\{provider="fake",model_route="fx-\*"\} 1/);
    expect(metrics).toMatch(/moat_tokens_total\{provider="fake",model_route="fx-\*",kind="input"\} 62/);
    expect(metrics).toMatch(/moat_request_errors_total\{endpoint="chat_completions",code="invalid_api_key"\} 1/);
    expect(metrics).toMatch(/^moat_requests_in_flight 1$/m); // the scrape alone
  });
});
