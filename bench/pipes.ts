// Durable pipes benchmark (issue 14), one run prints everything:
//  (1) journaled writeTo, 2,000,000 points, fsync per window: acknowledged points/s, end to end
//      (client → server in its own process on a SQLite file), and the journal's append rate alone;
//  (2) backfill of a 10,000,000-line CSV file through writeFrom: points/s and the client's peak RSS
//      (VmHWM of the child process that runs it), with the built package (dist/) in plain node;
//  (3) writeTo without a journal against the code of an earlier commit (BENCH_PREVIOUS, default the
//      commit before the journal), in the same run, alternating, each in its own child process;
//  (4) with BENCH_SOAK=1, the 2-minute kill/cut soak of spec/pipes/soak.spec.ts.
// Medians of BENCH_RUNS (3) runs; the 1-minute load average before and after.
// Usage: npm run bench:pipes   (BENCH_POINTS, BENCH_BACKFILL_LINES, BENCH_RUNS, BENCH_PREVIOUS, BENCH_SOAK;
// BENCH_ONLY=backfill runs (2) alone)
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { from, lastValueFrom } from 'rxjs';
import { previousTree } from './previousTree.js';

const auth = { authtype: 'apitoken', apitoken_key: 'crash-key', apitoken_secret: 'crash-secret' } as const;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pairs = (n: number, base: number) => Array.from({ length: n }, (_, i) => [base + i * 0.001, i % 1000] as const);

// --- child modes: each measurement in its own process, so RSS and JIT state are its own ---
const mode = process.argv[2];
if (mode === '--write') {
  // bench/pipes.ts --write ROOT URL ID POINTS JOURNAL_DIR|-
  const [, , , root, url, id, n, journal] = process.argv;
  const lib = (await import(pathToFileURL(join(root!, 'src/index.ts')).href)) as typeof import('../src/index.js');
  const client = new lib.TimetricClient(auth, { baseUrl: url! });
  const data = pairs(Number(n), 1_600_000_000 + Math.random() * 1e6);
  const { FileJournal } = await import('../src/node/FileJournal.js');
  const started = performance.now();
  // Without a journal the whole array is buffered (the earlier code fails a synchronous source past maxBufferPoints).
  if (journal === '-') await lastValueFrom(from(data).pipe(lib.writeTo(client.series(id!), { maxBufferPoints: data.length + 1 })), { defaultValue: undefined });
  else {
    // timetric/node's writeTo, as a Node user writes it: its journal code is loaded with it, so the
    // synchronous source goes to the file journal as it emits.
    const node = await import('../src/node/index.js');
    await lastValueFrom(from(data).pipe(node.writeTo(client.series(id!), { journal: new FileJournal(journal!), fsync: 'window' })), { defaultValue: undefined });
  }
  console.log(JSON.stringify({ rate: Number(n) / ((performance.now() - started) / 1000) }));
  process.exit(0);
}
// The backfill and its baseline run as users run the client: the built package (dist/, from
// `npm run build`) in a plain `node` child, no tsx (tsx alone costs the child about 25 MB).
// process.memoryUsage() is sampled every 100 ms, so the peak says where the memory is: V8's heap
// (young generation, up to 2 x 16 MB by default, and the old space) or buffers outside it.
const BACKFILL_CHILD = `
import { createReadStream, readFileSync } from 'node:fs';
import { lastValueFrom } from 'rxjs';
const [root, url, id, file] = process.argv.slice(1);
const hwm = () => Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const lib = await import(root + '/dist/index.js');
if (!url) { console.log(JSON.stringify({ vmHwmMb: hwm() })); process.exit(0); }
const client = new lib.TimetricClient(${JSON.stringify(auth)}, { baseUrl: url });
const peak = { heapTotalMb: 0, heapUsedMb: 0, externalMb: 0 };
const sample = setInterval(() => {
  const m = process.memoryUsage();
  peak.heapTotalMb = Math.max(peak.heapTotalMb, m.heapTotal / 1048576);
  peak.heapUsedMb = Math.max(peak.heapUsedMb, m.heapUsed / 1048576);
  peak.externalMb = Math.max(peak.externalMb, m.external / 1048576);
}, 100);
const started = performance.now();
await lastValueFrom(lib.writeFrom(client.series(id), createReadStream(file, { highWaterMark: 64 * 1024 })), { defaultValue: undefined });
clearInterval(sample);
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, vmHwmMb: hwm(), ...peak }));
process.exit(0);
`;

const POINTS = Number(process.env.BENCH_POINTS ?? 2_000_000);
const LINES = Number(process.env.BENCH_BACKFILL_LINES ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ONLY_BACKFILL = process.env.BENCH_ONLY === 'backfill';
const load = (): string => loadavg()[0]!.toFixed(2);
const loadBefore = load();
const dir = mkdtempSync(join(tmpdir(), 'timetric-pipes-bench-'));
const server = spawn(process.execPath, ['--import', 'tsx', 'spec/helpers/serveFile.ts', join(dir, 'bench.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
const { url } = JSON.parse(await new Promise<string>((resolve) => createInterface({ input: server.stdout }).once('line', resolve))) as { url: string };
const { TimetricClient } = await import('../src/index.js');
const client = new TimetricClient(auth, { baseUrl: url });
const child = (args: string[], nodeFlags: string[] = []): Record<string, number> => {
  const r = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', 'bench/pipes.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child ${args[0]} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
};
// Every series up front: the children run for long, and a keep-alive connection left idle meanwhile is closed by the server.
const ids: string[] = [];
for (let i = 0; i < 4 * RUNS + 1; i++) ids.push((await client.createSeries({ title: 'bench', caption: 'c' })).id);
const fresh = (): string => ids.pop()!;

try {
  // (1) the journal alone, then journaled writeTo end to end.
  const { FileJournal } = await import('../src/node/FileJournal.js');
  const appendRates: number[] = [];
  for (let r = 0; r < (ONLY_BACKFILL ? 0 : RUNS); r++) {
    const j = new FileJournal(join(dir, `alone-${r}`));
    j.openSync();
    const started = performance.now();
    for (let i = 0; i < POINTS; i += 5_000) {
      j.appendSync({ kind: 'points', points: pairs(5_000, i) });
      if (i % 500_000 === 0) await j.sync();
    }
    await j.sync();
    appendRates.push(POINTS / ((performance.now() - started) / 1000));
    j.closeSync();
  }
  const journaled: number[] = [];
  for (let r = 0; r < (ONLY_BACKFILL ? 0 : RUNS); r++) journaled.push(child(['--write', '.', url, fresh(), String(POINTS), join(dir, `journal-${r}`)]).rate!);

  // (3) without a journal: this tree and the previous one, alternating.
  const ref = process.env.BENCH_PREVIOUS ?? '2099641^';
  const previous = ONLY_BACKFILL ? { root: '', commit: '-', subject: 'skipped (BENCH_ONLY)', remove: () => undefined } : previousTree(ref);
  const now: number[] = [];
  const before: number[] = [];
  try {
    for (let r = 0; r < (ONLY_BACKFILL ? 0 : RUNS); r++) {
      before.push(child(['--write', previous.root, url, fresh(), String(POINTS), '-']).rate!);
      now.push(child(['--write', '.', url, fresh(), String(POINTS), '-']).rate!);
    }
  } finally {
    previous.remove();
  }

  // (2) backfill of a CSV file through writeFrom.
  const file = join(dir, 'backfill.csv');
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(file);
    out.on('error', reject);
    let i = 0;
    const base = 1_500_000_000;
    const more = (): void => {
      while (i < LINES) {
        let block = '';
        for (const end = Math.min(LINES, i + 10_000); i < end; i++) block += `${base + i * 0.25},${(i % 1000) * 0.5}\n`;
        if (!out.write(block)) return void out.once('drain', more);
      }
      out.end(resolve);
    };
    more();
  });
  // BENCH_ROOTS=a,b (copies of the package root, each with its dist/) backfills each in turn, so two
  // builds are compared in one run at the same load; default the working tree's own dist/.
  const roots = (process.env.BENCH_ROOTS ?? process.cwd()).split(',');
  for (const root of roots) if (!existsSync(join(root, 'dist/index.js'))) throw new Error(`the backfill measures the built package: run npm run build first (no ${root}/dist/index.js)`);
  const builtChild = (root: string, args: string[]): Record<string, number> => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', BACKFILL_CHILD, root, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`backfill child failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  };
  const backfillsOf = roots.map((): Record<string, number>[] => []);
  for (let r = 0; r < RUNS; r++) roots.forEach((root, k) => backfillsOf[k]!.push(builtChild(root, [url, fresh(), file])));
  const baselines = roots.map((root) => builtChild(root, []));
  rmSync(file);

  console.log(`load average (1 min) before ${loadBefore}, after ${load()}; medians of ${RUNS} runs`);
  if (!ONLY_BACKFILL) {
  console.log(`journal appends alone (FileJournal, 5,000-point records, ${fmt(POINTS)} points): ${fmt(median(appendRates))} points/s`);
  console.log(`journaled writeTo, ${fmt(POINTS)} points, fsync per window, acknowledged end to end: ${fmt(median(journaled))} points/s (floor 300,000, goal 500,000) ${median(journaled) >= 300_000 ? 'OK' : 'BELOW FLOOR'}`);
  console.log(`writeTo without a journal: ${fmt(median(now))} points/s; previous code (${previous.commit.slice(0, 7)} ${previous.subject.slice(0, 50)}…): ${fmt(median(before))} points/s; ratio ${(median(now) / median(before)).toFixed(2)}`);
  }
  roots.forEach((root, k) => {
    const backfills = backfillsOf[k]!;
    const of = (key: string): number => median(backfills.map((b) => b[key]!));
    const rss = of('vmHwmMb');
    console.log(
      `backfill of ${fmt(LINES)} CSV lines through writeFrom, built package (${root}/dist of ${statSync(join(root, 'dist/index.js')).mtime.toISOString()}, plain node, default options): ${of('seconds').toFixed(1)} s (${fmt(LINES / of('seconds'))} points/s), client peak RSS ${rss.toFixed(0)} MB (runs: ${backfills.map((b) => b.vmHwmMb!.toFixed(0)).join(', ')}; floor < 150, goal < 80) ${rss < 150 ? 'OK' : 'ABOVE FLOOR'}`,
    );
    console.log(`  peaks: V8 heap ${of('heapTotalMb').toFixed(0)} MB committed, ${of('heapUsedMb').toFixed(0)} MB used; outside it (buffers) ${of('externalMb').toFixed(0)} MB; a child that only loads dist/index.js peaks at ${baselines[k]!.vmHwmMb!.toFixed(0)} MB`);
  });
  if (process.env.BENCH_SOAK === '1') {
    const { runSoak } = await import('../spec/pipes/runSoak.js');
    const s = await runSoak({ seconds: 120, pipeKills: 10, serverKills: 5, cutSeconds: 30 });
    console.log(`soak 120 s, 10 pipe kills, 5 server kills, 30 s cut: ${fmt(s.acceptedPoints)} points accepted, ${s.missing} missing, ${s.wrongValues} wrong; counter ${s.counter} = accepted ${s.acceptedSum} (${s.windows} windows); drained in ${s.drainMs} ms`);
  }
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
