/**
 * The two parts of time to first token a gateway adds, through Moat, through the floor (../shared/bench's
 * bare proxy) and direct, one stream every `--gap` ms so that each finds the gateway idle, as the
 * harness's TTFT probe does:
 * - dispatch: from the client's write of its request to the upstream's receipt of the whole body (the
 *   harness's mock starts its clock there: it reads the model name from the body);
 * - relay: from the upstream's write of its first token to the client's receipt of it.
 * The upstream is a stub in this process (one clock for both ends): it sends its head at once, its
 * first token 20 ms later and the rest 5 ms after that, as the realistic profile does, so the figures
 * hold no upstream latency and none of the mock's timer noise. Moat runs as `bench/moat.bench.yaml`
 * configures it (keys, metering, logs on); both gateways are pinned to CPU 1 and this process to CPU 0
 * when `taskset` exists.
 *
 *   node bench/micro/time-to-dispatch.ts [--requests 200] [--gap 100] [--rounds 2]
 *
 * `MOAT_NODE_ARGS` adds flags to Moat's node (e.g. `--cpu-prof`). The floor needs ../shared/bench's
 * peers (`bash ../shared/bench/setup.sh`); without them it is left out.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { waitHttp } from '../wait-http.ts';
import { quantile } from './measure.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200' }, gap: { type: 'string', default: '100' }, rounds: { type: 'string', default: '2' } } });
const REQUESTS = Number(values.requests);
const GAP_MS = Number(values.gap);
const ROUNDS = Number(values.rounds);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const harness = join(root, '../shared/bench');
const peers = process.env.BENCH_PEERS_DIR ?? '/tmp/bench-peers';
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
if (hasTaskset) spawnSync('taskset', ['-pc', '0', String(process.pid)]);

/** The probe's id rides in `user` (Moat forwards the body's bytes, not the client's headers). */
const bodyFor = (id: string) => JSON.stringify({
  model: 'mock-ttft20-gap5-chunks10',
  user: `probe-${id}`,
  messages: [
    { role: 'system', content: 'You are a concise assistant for platform engineers.' },
    { role: 'user', content: 'Summarise the following release notes for an operations team in three bullet points. '.repeat(4) },
  ],
  max_tokens: 256,
  temperature: 0.2,
  stream: true,
  stream_options: { include_usage: true },
});
const event = (data: object) => `data: ${JSON.stringify({ id: 'chatcmpl-probe', object: 'chat.completion.chunk', created: 0, model: 'mock', ...data })}\n\n`;
const FIRST = event({ choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: null }] });
const LAST = event({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + event({ choices: [], usage: { prompt_tokens: 60, completion_tokens: 1, total_tokens: 61 } }) + 'data: [DONE]\n\n';
/** The upstream's time to first token, as in the harness's realistic profile. */
const UPSTREAM_TTFT_MS = 20;

/** When each probe's body was complete at the upstream, and when the upstream wrote its first token, by the probe's id. */
const arrivals = new Map<string, bigint>();
const firstWrites = new Map<string, bigint>();
const PROBE_ID = /"user":"probe-(\d+)"/;
const upstream = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const arrived = process.hrtime.bigint();
    const id = PROBE_ID.exec(Buffer.concat(chunks).toString())?.[1];
    if (id !== undefined) arrivals.set(id, arrived);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.flushHeaders();
    setTimeout(() => {
      if (id !== undefined) firstWrites.set(id, process.hrtime.bigint());
      res.write(FIRST);
      // The rest 5 ms later, as the harness's realistic profile spaces its chunks.
      setTimeout(() => res.end(LAST), 5);
    }, UPSTREAM_TTFT_MS);
  });
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = (upstream.address() as AddressInfo).port;

function pinned(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const [file, argv] = hasTaskset ? ['taskset', ['-c', '1', command, ...args]] : [command, args];
  return spawn(file, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Target {
  name: string;
  port: number;
  path: string;
  headers: Record<string, string>;
}

const children: ChildProcess[] = [];
const targets: Target[] = [{ name: 'direct', port: upstreamPort, path: '/v1/chat/completions', headers: {} }];
const benchDir = mkdtempSync(join(tmpdir(), 'moat-ttd-'));
const moatPort = 18_830;
children.push(pinned(process.execPath, [...(process.env.MOAT_NODE_ARGS ? process.env.MOAT_NODE_ARGS.split(' ') : []), join(root, 'src/cli/main.ts'), 'serve', '--config', join(root, 'bench/moat.bench.yaml')], {
  MOAT_BENCH_DIR: benchDir, MOAT_BENCH_PORT: String(moatPort), MOCK_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
}));
await waitHttp(`http://127.0.0.1:${moatPort}/healthz`, 30_000);
targets.push({ name: 'moat', port: moatPort, path: '/v1/chat/completions', headers: { authorization: 'Bearer sk-bench-moat-client-0001' } });
if (existsSync(join(peers, 'node_modules/undici')) && existsSync(join(harness, 'peers/baseline-proxy.mjs'))) {
  const floorPort = 18_831;
  children.push(pinned(process.execPath, [join(harness, 'peers/baseline-proxy.mjs')], { PORT: String(floorPort), UPSTREAM: `http://127.0.0.1:${upstreamPort}`, BENCH_PEERS_DIR: peers }));
  await waitHttp(`http://127.0.0.1:${floorPort}/healthz`, 30_000);
  targets.splice(1, 0, { name: 'floor', port: floorPort, path: '/v1/chat/completions', headers: {} });
} else {
  console.log(`floor left out: no undici in ${peers} (bash ../shared/bench/setup.sh)`);
}

/** One keep-alive connection per target, as the harness's probe has. */
const agents = new Map(targets.map((t) => [t.name, new Agent({ keepAlive: true, maxSockets: 1 })]));
let sequence = 0;

interface Timing {
  /** From the client's write to the upstream's receipt of the whole body. */
  dispatch: number;
  /** From the upstream's write of its first token to the client's receipt of it. */
  relay: number;
}

function send(target: Target): Promise<Timing> {
  const id = String(++sequence);
  const body = bodyFor(id);
  return new Promise((resolve, reject) => {
    const req = request(
      { port: target.port, path: target.path, method: 'POST', agent: agents.get(target.name), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...target.headers } },
      (res) => {
        let received: bigint | undefined;
        res.on('data', (chunk: Buffer) => {
          if (received === undefined && chunk.includes('"content":"ok"')) received = process.hrtime.bigint();
        });
        res.on('end', () => {
          const arrived = arrivals.get(id);
          const written = firstWrites.get(id);
          arrivals.delete(id);
          firstWrites.delete(id);
          if (res.statusCode !== 200 || arrived === undefined || written === undefined || received === undefined) {
            reject(new Error(`${target.name}: status ${res.statusCode}, body seen upstream: ${arrived !== undefined}, first token seen: ${received !== undefined}`));
          } else resolve({ dispatch: Number(arrived - sent) / 1e6, relay: Number(received - written) / 1e6 });
        });
      },
    );
    req.on('error', reject);
    const sent = process.hrtime.bigint();
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

try {
  for (const target of targets) for (let i = 0; i < 20; i++) await send(target); // warm the paths and the JIT
  console.log(`node ${process.version}; ${REQUESTS} streams per target and round, one every ${GAP_MS} ms, targets interleaved; the upstream's first token ${UPSTREAM_TTFT_MS} ms after its head`);
  console.log('dispatch: ms from the client\'s write to the upstream\'s receipt of the body; relay: ms from the upstream\'s first-token write to the client; medians (p90)');
  console.log(`| round | ${targets.map((t) => `${t.name} dispatch | ${t.name} relay`).join(' | ')} | moat − floor, dispatch + relay |`);
  console.log(`|---|${targets.map(() => '---:|---:').join('|')}|---:|`);
  for (let round = 1; round <= ROUNDS; round++) {
    const times = new Map(targets.map((t) => [t.name, [] as Timing[]]));
    for (let i = 0; i < REQUESTS; i++) {
      for (const target of targets) {
        await sleep(GAP_MS);
        times.get(target.name)!.push(await send(target));
      }
    }
    const p = (name: string, part: keyof Timing, q: number) => quantile(times.get(name)!.map((t) => t[part]), q);
    const cell = (name: string, part: keyof Timing) => `${p(name, part, 0.5).toFixed(3)} (${p(name, part, 0.9).toFixed(3)})`;
    const cells = targets.map((t) => `${cell(t.name, 'dispatch')} | ${cell(t.name, 'relay')}`);
    const both = (name: string) => quantile(times.get(name)!.map((t) => t.dispatch + t.relay), 0.5);
    const gap = times.has('floor') ? (both('moat') - both('floor')).toFixed(3) : '–';
    console.log(`| ${round} | ${cells.join(' | ')} | ${gap} |`);
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  upstream.close();
  for (const agent of agents.values()) agent.destroy();
  rmSync(benchDir, { recursive: true, force: true });
}
