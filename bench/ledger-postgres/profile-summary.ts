/**
 * Summarises a V8 `.cpuprofile` (e.g. from `CPU_PROF=1 npm run bench:ledger-pg`): self time by area
 * of the code (the PostgreSQL driver, Kysely, the ledger store, metering, Node's HTTP, …) and the
 * functions with the most self time. FROM_S / TO_S (seconds from the profile's start) narrow it to a
 * phase; the runner's results.json gives the phase times relative to each phase's start.
 * Run: `node bench/ledger-postgres/profile-summary.ts <file.cpuprofile> [top=25]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/ledger-postgres/profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const fromUs = Number(process.env.FROM_S ?? 0) * 1e6;
const toUs = process.env.TO_S ? Number(process.env.TO_S) * 1e6 : Infinity;

const byId = new Map(profile.nodes.map((node) => [node.id, node]));

/** Areas, first match wins: the URL (or the function name for V8's pseudo-frames). */
const AREAS: [string, RegExp][] = [
  ['idle', /^\(idle\)$/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['program (V8/native, unattributed)', /^\(program\)$/],
  ['postgres.js driver', /node_modules\/postgres\//],
  ['Kysely (+ kysely-postgres-js)', /node_modules\/kysely/],
  ['ledger store (src/storage)', /\/src\/storage\//],
  ['metering (src/metering: journal, writer, row)', /\/src\/metering\//],
  ['pino (logs)', /node_modules\/(pino|sonic-boom|thread-stream|fast-redact|quick-format)/],
  ['prom-client (metrics)', /node_modules\/prom-client/],
  ['undici (upstream client)', /node_modules\/undici|node:internal\/deps\/undici/],
  ['Moat, other src/', /\/src\//],
  ['Node HTTP server and streams', /node:(_http|http|internal\/http|internal\/streams|stream|net|internal\/stream_base)/],
  ['Node, other', /^node:/],
  ['other JS', /./],
  ['native / builtins (no URL)', /^$/],
];

function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  // V8's pseudo-frames have a name in parentheses and no URL; other frames without a URL are native.
  const key = url === '' && functionName.startsWith('(') ? functionName : url;
  for (const [area, pattern] of AREAS) if (pattern.test(key)) return area;
  return 'native / builtins (no URL)';
}

// Native frames (no URL) are charged to the nearest JS caller's area, so a JSON.stringify or a Buffer
// write counts where it was called from.
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const areaCache = new Map<number, string>();
function chargedArea(id: number): string {
  const cached = areaCache.get(id);
  if (cached) return cached;
  const node = byId.get(id)!;
  let area = areaOf(node);
  if (area === 'native / builtins (no URL)' && parent.has(id)) {
    const up = chargedArea(parent.get(id)!);
    if (up !== 'program (V8/native, unattributed)' && up !== 'idle') area = up;
  }
  areaCache.set(id, area);
  return area;
}

const selfUs = new Map<number, number>();
let t = 0;
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i] ?? 0;
  if (t < fromUs || t > toUs) continue;
  const id = profile.samples[i]!;
  const dt = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  total += dt;
}

const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  areas.set(chargedArea(id), (areas.get(chargedArea(id)) ?? 0) + us);
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}` : '';
  const key = `${functionName || '(anonymous)'} ${where}`.trim();
  functions.set(key, (functions.get(key) ?? 0) + us);
}

/** Inclusive: samples with a frame of these anywhere on the stack (a sample may count in several). */
const INCLUSIVE: [string, RegExp][] = [
  ['postgres.js driver (socket callbacks, message building, parsing)', /node_modules\/postgres\//],
  ['Kysely', /node_modules\/kysely/],
  ['LedgerStore.insertBatch (src/storage/kysely-ledger-store.ts)', /src\/storage\/kysely-ledger-store\.ts/],
  ['LedgerWriter (src/metering/ledger-writer.ts)', /src\/metering\/ledger-writer\.ts/],
  ['LedgerJournal.append (src/metering/ledger-journal.ts)', /src\/metering\/ledger-journal\.ts/],
  ['the meter stage (src/pipeline/meter.ts)', /src\/pipeline\/meter\.ts/],
  ['pino', /node_modules\/pino\//],
];
const inclusiveUs = new Map<string, number>();
const stackCache = new Map<number, Set<string>>();
function groupsOf(id: number): Set<string> {
  const cached = stackCache.get(id);
  if (cached) return cached;
  const groups = new Set(parent.has(id) ? groupsOf(parent.get(id)!) : []);
  const url = byId.get(id)!.callFrame.url;
  for (const [name, pattern] of INCLUSIVE) if (pattern.test(url)) groups.add(name);
  stackCache.set(id, groups);
  return groups;
}
for (const [id, us] of selfUs) for (const group of groupsOf(id)) inclusiveUs.set(group, (inclusiveUs.get(group) ?? 0) + us);

const busy = total - (areas.get('idle') ?? 0);
const pct = (us: number, of: number): string => `${((us / of) * 100).toFixed(1)} %`;
console.log(`profile ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${pct(busy, total)})\n`);
console.log('| area (self time, native calls charged to their JS caller) | s | % of busy |\n|---|---:|---:|');
for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) {
  if (area !== 'idle') console.log(`| ${area} | ${(us / 1e6).toFixed(2)} | ${pct(us, busy)} |`);
}
console.log('\n| inclusive (a frame of it on the stack) | s | % of busy |\n|---|---:|---:|');
for (const [name] of INCLUSIVE) console.log(`| ${name} | ${((inclusiveUs.get(name) ?? 0) / 1e6).toFixed(2)} | ${pct(inclusiveUs.get(name) ?? 0, busy)} |`);
console.log(`\n| function (self time) | ms | % of busy |\n|---|---:|---:|`);
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  if (name.startsWith('(idle)')) continue;
  console.log(`| \`${name}\` | ${(us / 1e3).toFixed(0)} | ${pct(us, busy)} |`);
}
