import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { openStorage } from '../src/storage/index.ts';

/**
 * Issue 4's crash test on the whole gateway: `moat serve` as a child process under streaming and
 * non-streaming load, killed with SIGKILL while requests are in flight, restarted on the same database
 * and journal (the restart replays the journal), loaded and killed again at another moment, and so on;
 * a last start replays the last crash and is stopped with SIGTERM. Then every response a client
 * received in full has exactly one ledger row, and no row belongs to a request that was never made.
 */

const root = fileURLToPath(new URL('../', import.meta.url));
const CLIENT_KEY = 'sk-crash-test-client-key-0001';
const UPSTREAM_KEY = 'sk-crash-test-upstream-key';
const CLIENT_LOOPS = 32;
/**
 * Milliseconds of load before each SIGKILL: three different moments in a gateway's life. On a busy
 * machine the kill also waits for `WARM_RESPONSES` complete responses, so every round has some.
 */
const KILL_AFTER_MS = [700, 1200, 1700];
const WARM_RESPONSES = 2 * CLIENT_LOOPS;
/** What the fake upstream streams; its usage reports `completion_tokens: WORDS.length`. */
const WORDS = ['The', ' capital', ' of', ' France', ' is', ' Paris.'];
const REQUEST_ID = /^req_[0-9a-f]{32}$/;

// ---------------------------------------------------------------------------------------------------
// A small OpenAI-shaped upstream with latency, so that requests are in flight when the kill lands.
// The prompt is `k=<n>`; the answer's usage reports `prompt_tokens: n`, so a row can be matched to the
// response it bills.

class SlowUpstream {
  private readonly server: Server = createServer((req, res) => this.onRequest(req, res));
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  async start(): Promise<string> {
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${UPSTREAM_KEY}` || req.url !== '/v1/chat/completions') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'bad key or path', type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        model: string;
        stream?: boolean;
        stream_options?: { include_usage?: boolean };
        messages: Array<{ content: string }>;
      };
      const k = Number(/^k=(\d+)$/.exec(body.messages[0]?.content ?? '')?.[1] ?? 0);
      const usage = { prompt_tokens: k, completion_tokens: WORDS.length, total_tokens: k + WORDS.length };
      const base = { id: `chatcmpl-${k}`, created: 1753870512, model: body.model };
      if (body.stream !== true) {
        this.later(3 + (k % 8), () => {
          if (res.destroyed) return;
          const answer = {
            ...base,
            object: 'chat.completion',
            choices: [{ index: 0, message: { role: 'assistant', content: WORDS.join(''), refusal: null }, finish_reason: 'stop' }],
            usage,
          };
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(answer));
        });
        return;
      }
      const chunk = (delta: object, finish: string | null) =>
        `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }], usage: null })}\n\n`;
      const events = [chunk({ role: 'assistant', content: '' }, null), ...WORDS.map((w) => chunk({ content: w }, null)), chunk({}, 'stop')];
      if (body.stream_options?.include_usage === true) {
        events.push(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
      }
      events.push('data: [DONE]\n\n');
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      res.flushHeaders();
      const next = (i: number): void => {
        if (res.destroyed) return;
        if (i === events.length) {
          res.end();
          return;
        }
        res.write(events[i]);
        this.later(2, () => next(i + 1));
      };
      next(0);
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// The gateway as a child process.

interface Child {
  process: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
// Should the test process itself end abruptly, its gateways go with it rather than keep their ports.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startGateway(configPath: string): Promise<Child> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, CRASH_CLIENT_KEY: CLIENT_KEY, CRASH_UPSTREAM_KEY: UPSTREAM_KEY };
  delete env.DATABASE_URL;
  // process.execPath: the Node 24 that runs the tests (type stripping), not whatever `node` is on PATH.
  const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), 'serve', '--config', configPath, '--port', String(port)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (gone) throw new Error(`the gateway exited before it was healthy:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the gateway was not healthy within 20 s:\n${output}`);
    const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { process: child, port, output: () => output, exited };
}

// ---------------------------------------------------------------------------------------------------
// The clients.

interface Attempt {
  k: number;
  stream: boolean;
  includeUsage: boolean;
  /** The response's x-request-id; null when no response head arrived. */
  id: string | null;
  status: number;
  /** Non-stream: the whole JSON body parsed; stream: `data: [DONE]` received. */
  complete: boolean;
  /** A complete body that is not what the upstream sent (wrong usage, missing usage chunk …). */
  wrong: string | null;
  inFlightAtKill: boolean;
}

interface Round {
  port: number;
  agent: Agent;
  stopped: boolean;
  attempts: Attempt[];
  pending: Set<Attempt>;
  completed: number;
}

let nextK = 1;

function send(round: Round, stream: boolean, includeUsage: boolean): Promise<void> {
  const attempt: Attempt = { k: nextK++, stream, includeUsage, id: null, status: 0, complete: false, wrong: null, inFlightAtKill: false };
  round.attempts.push(attempt);
  round.pending.add(attempt);
  const body = JSON.stringify({
    model: 'crash-model',
    messages: [{ role: 'user', content: `k=${attempt.k}` }],
    ...(stream ? { stream: true } : {}),
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
  });
  return new Promise<void>((resolve) => {
    const settle = (): void => {
      round.pending.delete(attempt);
      resolve();
    };
    let response: IncomingMessage | null = null;
    const req = request(
      {
        host: '127.0.0.1',
        port: round.port,
        path: '/v1/chat/completions',
        method: 'POST',
        agent: round.agent,
        headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        response = res;
        attempt.status = res.statusCode ?? 0;
        const id = res.headers['x-request-id'];
        attempt.id = typeof id === 'string' ? id : null;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (s: string) => {
          text += s;
          // The terminal event is held back until the row is journaled: from here on, the client has it all.
          if (stream && !attempt.complete && text.includes('data: [DONE]')) {
            attempt.complete = true;
            round.completed++;
            const hasUsage = text.includes(`"prompt_tokens":${attempt.k},`);
            if (hasUsage !== includeUsage) attempt.wrong = `stream usage chunk ${hasUsage ? 'present' : 'missing'}: ${text}`;
          }
        });
        res.on('end', () => {
          if (stream || attempt.status !== 200) return;
          attempt.complete = true;
          round.completed++;
          let promptTokens: unknown;
          try {
            promptTokens = (JSON.parse(text) as { usage?: { prompt_tokens?: unknown } }).usage?.prompt_tokens;
          } catch {
            promptTokens = null;
          }
          if (promptTokens !== attempt.k) attempt.wrong = `body: ${text}`;
        });
        res.on('error', () => {});
        res.on('close', settle);
      },
    );
    req.on('error', () => {
      if (response === null) settle();
    });
    req.on('close', () => {
      if (response === null) settle();
    });
    req.end(body);
  });
}

async function clientLoop(round: Round, loop: number): Promise<void> {
  for (let i = 0; !round.stopped; i++) {
    const kind = (loop + i) % 4;
    await send(round, kind !== 0, kind === 1);
  }
}

// ---------------------------------------------------------------------------------------------------

interface StoredRow {
  requestId: string;
  status: number;
  inputTokens: number;
  outputTokens: number;
}

async function ledgerRows(dbPath: string): Promise<StoredRow[]> {
  const storage = openStorage({ path: dbPath });
  try {
    const rows = await storage.db.selectFrom('usage_ledger').select(['request_id', 'status', 'input_tokens', 'output_tokens']).execute();
    return rows.map((r) => ({ requestId: r.request_id, status: Number(r.status), inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens) }));
  } finally {
    await storage.close();
  }
}

/**
 * The rows the killed process had stored itself, read from a copy of the database files: opening the
 * files themselves would recover the WAL here instead of in the restarted gateway.
 */
async function storedAtKill(dbPath: string, snapshotDir: string): Promise<Set<string>> {
  rmSync(snapshotDir, { recursive: true, force: true });
  mkdirSync(snapshotDir);
  const copy = join(snapshotDir, 'moat.db');
  for (const suffix of ['', '-wal']) if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, copy + suffix);
  return new Set((await ledgerRows(copy)).map((r) => r.requestId));
}

/** Request ids in the journal segments on disk, with how often each occurs. */
function journalIds(journalDir: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!existsSync(journalDir)) return counts;
  for (const name of readdirSync(journalDir)) {
    for (const line of readFileSync(join(journalDir, name), 'utf8').split('\n')) {
      let id: unknown;
      try {
        id = (JSON.parse(line) as { requestId?: unknown }).requestId;
      } catch {
        continue; // empty, or a line the kill cut short
      }
      if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

let dir = '';
let upstream: SlowUpstream | null = null;
const agents: Agent[] = [];

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.length = 0;
  for (const agent of agents) agent.destroy();
  agents.length = 0;
  await upstream?.stop();
  upstream = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('kill -9 under load, three times: every complete response has exactly one ledger row, no row is extra', { timeout: 90_000 }, async () => {
  dir = mkdtempSync(join(tmpdir(), 'moat-ledger-crash-'));
  const dbPath = join(dir, 'moat.db');
  const journalDir = join(dir, 'journal');
  upstream = new SlowUpstream();
  const upstreamUrl = await upstream.start();
  const configPath = join(dir, 'moat.yaml');
  writeFileSync(
    configPath,
    `
log: { level: warn }
server: { shutdownGraceMs: 2000 }
storage: { path: ${JSON.stringify(dbPath)}, journalDir: ${JSON.stringify(journalDir)} }
auth:
  keys:
    - { name: crash-client, keyEnv: CRASH_CLIENT_KEY }
providers:
  fake: { type: openai, baseUrl: ${JSON.stringify(upstreamUrl)}, apiKeyEnv: CRASH_UPSTREAM_KEY }
models:
  - { name: crash-model, provider: fake, model: crash-upstream }
`,
  );

  const all: Attempt[] = [];
  const report: string[] = [];
  let previousComplete: Attempt[] = [];
  for (const [n, loadMs] of KILL_AFTER_MS.entries()) {
    const gateway = await startGateway(configPath);
    // The start replayed the previous crash's journal before it listened: its rows are all stored now.
    if (previousComplete.length > 0) {
      const stored = new Set((await ledgerRows(dbPath)).map((r) => r.requestId));
      const missing = previousComplete.filter((a) => !stored.has(a.id!)).map((a) => a.id);
      expect(missing, `round ${n}: complete responses without a row after the restart's replay`).toEqual([]);
    }

    const agent = new Agent({ keepAlive: true, maxSockets: CLIENT_LOOPS });
    agents.push(agent);
    const round: Round = { port: gateway.port, agent, stopped: false, attempts: [], pending: new Set(), completed: 0 };
    const loadStart = performance.now();
    const loops = Array.from({ length: CLIENT_LOOPS }, (_, i) => clientLoop(round, i));
    await new Promise((r) => setTimeout(r, loadMs));
    for (const deadline = Date.now() + 20_000; round.completed < WARM_RESPONSES; ) {
      if (Date.now() > deadline) throw new Error(`round ${n + 1}: only ${round.completed} complete responses in 20 s:\n${gateway.output()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    // No request starts after this point; the ones still pending are in flight when the kill lands.
    round.stopped = true;
    const inFlight = [...round.pending];
    for (const attempt of inFlight) attempt.inFlightAtKill = true;
    gateway.process.kill('SIGKILL');
    const loadedMs = Math.round(performance.now() - loadStart);
    expect((await gateway.exited).signal).toBe('SIGKILL');
    await Promise.all(loops);
    agent.destroy();

    const journal = journalIds(journalDir);
    const stored = await storedAtKill(dbPath, join(dir, 'snapshot'));
    const twice = [...journal].filter(([, count]) => count > 1).map(([id]) => id);
    expect(twice, `round ${n + 1}: request ids journaled twice`).toEqual([]);

    const complete = round.attempts.filter((a) => a.complete);
    const line =
      `round ${n + 1}: killed after ${loadedMs} ms of load; ${round.attempts.length} requests, ${complete.length} complete, ` +
      `${inFlight.length} in flight at the kill (${inFlight.filter((a) => a.complete).length} of them completed from bytes already sent, ` +
      `${inFlight.filter((a) => a.id === null).length} without a response head); ${journal.size} rows left in the journal, ` +
      `${complete.filter((a) => !stored.has(a.id!)).length} complete ones not yet in the database`;
    report.push(line);
    console.log(line);
    expect(inFlight.length, `round ${n + 1}: no request was in flight at the kill`).toBeGreaterThan(0);
    expect(complete.length, `round ${n + 1}: no request completed`).toBeGreaterThan(0);
    // Before the kill nothing fails: every response that arrived is a 200 with the upstream's answer.
    expect(round.attempts.filter((a) => a.id !== null && a.status !== 200).map((a) => `${a.status} ${a.id}`)).toEqual([]);
    expect(round.attempts.filter((a) => a.wrong !== null).map((a) => a.wrong)).toEqual([]);
    expect(round.attempts.filter((a) => !a.complete && !a.inFlightAtKill)).toEqual([]);
    all.push(...round.attempts);
    previousComplete = complete;
  }

  // The last start replays the last crash; SIGTERM drains the writer and retires the journal.
  const last = await startGateway(configPath);
  last.process.kill('SIGTERM');
  const exit = await last.exited;
  expect(exit, last.output()).toEqual({ code: 0, signal: null });
  expect(readdirSync(journalDir), 'journal segments left after a graceful stop').toEqual([]);

  const rows = await ledgerRows(dbPath);
  const byId = new Map<string, StoredRow[]>();
  for (const row of rows) byId.set(row.requestId, [...(byId.get(row.requestId) ?? []), row]);
  const complete = all.filter((a) => a.complete);
  const incomplete = all.filter((a) => !a.complete);
  const issued = new Map(all.filter((a) => a.id !== null).map((a) => [a.id!, a]));
  const headless = all.filter((a) => a.id === null).length;

  // Every complete response: exactly one row, and it bills that response (status 200, its usage).
  const notOne = complete.filter((a) => byId.get(a.id!)?.length !== 1).map((a) => `${a.id}: ${byId.get(a.id!)?.length ?? 0} rows`);
  expect(notOne, 'complete responses without exactly one ledger row').toEqual([]);
  const mismatched = complete
    .map((a) => ({ a, row: byId.get(a.id!)![0]! }))
    .filter(({ a, row }) => row.status !== 200 || row.inputTokens !== a.k || row.outputTokens !== WORDS.length)
    .map(({ a, row }) => `${a.id} (k=${a.k}): ${JSON.stringify(row)}`);
  expect(mismatched, 'rows that do not bill their response').toEqual([]);
  // No row twice, and no row for a request that was never made: a row whose id no client saw can only
  // belong to a request that was cut before its response head arrived (non-streamed answers are
  // journaled before their head is written).
  expect(byId.size).toBe(rows.length);
  expect(issued.size, 'two responses carried the same x-request-id').toBe(all.length - headless);
  const unknown = rows.filter((r) => !issued.has(r.requestId));
  expect(unknown.filter((r) => !REQUEST_ID.test(r.requestId))).toEqual([]);
  expect(unknown.length).toBeLessThanOrEqual(headless);
  expect(rows.length).toBeLessThanOrEqual(all.length);
  const incompleteWithRow = incomplete.filter((a) => a.id !== null && byId.has(a.id)).length;

  const summary =
    `${all.length} requests over ${KILL_AFTER_MS.length} crashes: ${complete.length} complete, ${incomplete.length} cut by a kill ` +
    `(${incompleteWithRow} of them with a row, ${headless} without a response head); ${rows.length} ledger rows, ` +
    `${unknown.length} for requests whose head never arrived`;
  report.push(summary);
  console.log(summary);
  expect(rows.length - complete.length, report.join('\n')).toBeLessThanOrEqual(incomplete.length);
});
