import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../src/storage/index.ts';
import { EchoUpstream } from './support/echo-upstream.ts';
import { until } from './support/until.ts';
import { policyKeysYaml } from './support/privacy-keys.ts';

/**
 * Nothing detected leaks: `moat serve` in its own process, at `trace` log level, with the ledger in
 * SQLite, serves redacted, blocked, logged and local-only requests carrying personal data and
 * secrets; then its whole output, every file it wrote (database, WAL, journal) and /metrics are
 * searched for the values. The ledger rows carry the types as flags.
 */
const VALUES = [
  'Maria Kowalski',
  'ana.ruiz@example.org',
  '+1 415 555 2671',
  '4111 1111 1111 1111',
  'DE89 3704 0044 0532 0130 00',
  '742 Evergreen Terrace',
  'sk-proj-Ab12Cd34Ef56Gh78Ij90T3BlbkFJKl12Mn34Op56Qr78',
  '123-45-6789',
  '84.17.35.2',
];
const MESSAGE = `I am ${VALUES[0]} (${VALUES[1]}, ${VALUES[2]}), card ${VALUES[3]}, IBAN ${VALUES[4]}, at ${VALUES[5]}, Springfield, OR 97403. Key ${VALUES[6]}, SSN ${VALUES[7]}, from ${VALUES[8]}.`;
const KEYS = { redact: 'sk-moat-leak-redact-000001', block: 'sk-moat-leak-block-0000002', log: 'sk-moat-leak-log-000000003', local: 'sk-moat-leak-local-0000004' };
const ALL = (action: string) => `{ email: ${action}, phone: ${action}, card: ${action}, iban: ${action}, ssn: ${action}, ip: ${action}, secret: ${action}, person: ${action}, address: ${action} }`;

let echo: EchoUpstream;
let child: ChildProcess;
let output = '';
let origin = '';
let dir: string;

beforeAll(async () => {
  echo = new EchoUpstream();
  const url = await echo.start();
  dir = mkdtempSync(join(tmpdir(), 'moat-privacy-leak-'));
  const file = join(dir, 'moat.yaml');
  writeFileSync(
    file,
    `
${policyKeysYaml(KEYS)}
log: { level: trace }
storage: { path: ${join(dir, 'moat.db')}, journalDir: ${join(dir, 'journal')} }
providers:
  echo: { type: openai, baseUrl: "${url}", apiKeyEnv: ECHO_KEY }
models:
  - { name: "*", provider: echo }
privacy:
  policies:
    - { key: "config:blocker", entities: ${ALL('block')} }
    - { key: "config:logger", entities: ${ALL('log')} }
    - { key: "config:keeper", entities: ${ALL('local-only')} }
    - { entities: ${ALL('redact')} }
`,
  );
  child = spawn(process.execPath, [join(import.meta.dirname, '../src/cli/main.ts'), 'serve', '--config', file, '--port', '0'], {
    env: { ...process.env, ECHO_KEY: 'sk-echo' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString('utf8')));
  await until(() => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.test(output), 'moat serve to start', 15_000);
  origin = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output)![1]!;
});
afterAll(async () => {
  child.kill('SIGKILL');
  await echo.stop();
});

function filesUnder(path: string): string[] {
  return statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => filesUnder(join(path, name))) : [path];
}

describe('privacy leaves no value in logs, ledger rows or metrics', () => {
  it('redacted, blocked, logged and local-only requests', async () => {
    const ids: Record<string, string> = {};
    const openai = (key: string) => new OpenAI({ baseURL: `${origin}/v1`, apiKey: key, maxRetries: 0 });
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: MESSAGE }];

    const plain = await openai(KEYS.redact).chat.completions.create({ model: 'gpt-x', messages }).withResponse();
    expect(plain.data.choices[0]!.message.content).toBe(MESSAGE);
    ids.redacted = plain.response.headers.get('x-request-id')!;
    const streamed = await openai(KEYS.redact).chat.completions.create({ model: 'gpt-x', messages, stream: true }).withResponse();
    let text = '';
    for await (const chunk of streamed.data) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(MESSAGE);
    const claude = await new Anthropic({ baseURL: origin, apiKey: KEYS.redact, maxRetries: 0 }).messages.create({ model: 'gpt-x', max_tokens: 64, messages: [{ role: 'user', content: MESSAGE }] });
    expect(claude.content[0]).toMatchObject({ text: MESSAGE });

    const logged = await openai(KEYS.log).chat.completions.create({ model: 'gpt-x', messages }).withResponse();
    ids.logged = logged.response.headers.get('x-request-id')!;
    const refused = (key: string) => openai(key).chat.completions.create({ model: 'gpt-x', messages }).then(() => null, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    const blocked = (await refused(KEYS.block))!;
    expect(blocked).toMatchObject({ status: 400, code: 'pii_blocked' });
    ids.blocked = blocked.headers!.get('x-request-id')!;
    const local = (await refused(KEYS.local))!;
    expect(local).toMatchObject({ status: 503, code: 'no_local_target' });
    ids.local = local.headers!.get('x-request-id')!;
    // Log lines are written asynchronously: wait for every request's line before searching the output.
    await until(() => Object.values(ids).every((id) => output.includes(id)), 'the access log lines');

    const storage = await openStorage({ path: join(dir, 'moat.db') });
    try {
      await until(async () => (await storage.ledger.get(ids.logged!)) !== undefined, 'ledger rows');
      const redactedFlags = (await storage.ledger.get(ids.redacted!))!.flags!.split(',');
      expect(redactedFlags).toEqual(expect.arrayContaining(['pii_redacted:email', 'pii_redacted:secret', 'pii_redacted:card', 'pii_redacted:person']));
      expect((await storage.ledger.get(ids.logged!))!.flags!.split(',')).toEqual(expect.arrayContaining(['pii:email', 'pii:secret']));
    } finally {
      await storage.close();
    }
    const metrics = await (await fetch(`${origin}/metrics`)).text();
    expect(metrics).toContain('moat_');
    // The upstream did see the logged request's values: the search below would find them if they leaked.
    expect(echo.requests.map((r) => r.body.toString()).join('')).toContain(VALUES[1]);

    const written = filesUnder(dir).filter((f) => !f.endsWith('moat.yaml'));
    expect(written.length).toBeGreaterThan(0);
    const haystacks: Array<[string, string]> = [
      ['gateway output', output],
      ['/metrics', metrics],
      ...written.map((f): [string, string] => [f, readFileSync(f).toString('latin1')]),
    ];
    expect(output.length).toBeGreaterThan(500);
    // Control: what is searched is readable — the ledger's flags are found as text in the written files.
    expect(haystacks.some(([where, text]) => where !== 'gateway output' && text.includes('pii_redacted:email'))).toBe(true);
    for (const [where, text] of haystacks) {
      for (const value of VALUES) {
        expect(text.includes(value), `${value} found in ${where}`).toBe(false);
        expect(text.includes(value.replace(/ /g, '')), `${value} (compact) found in ${where}`).toBe(false);
      }
    }
  });
});
