// Storage benchmark (issue 17), one run prints one table: bytes a point on disk and ingest, reads
// and writes, for whatever store this working tree has ("now"), beside the store of an older
// commit ("previous", by default the last commit of the one-row-a-point format, re-measured in the
// same run) and beside InfluxDB 1.6 (bench/influxPeer.ts) for bytes a point and ingest.
//
// Data sets (bench/datasets.ts, seeded): (a) 1 Hz random walk, 2 decimals; (b) 1 Hz integer
// counter; (c) irregular timestamps with 1–6 decimals. BENCH_POINTS (default 1,000,000) each.
// Every server runs in its own process over loopback (bench/storageServer.ts, the defaults of its
// tree's `openStore`: SQLite in WAL mode with synchronous=FULL; PostgreSQL a throwaway durable
// cluster). Rates are medians of 3 runs (appends: after one unrecorded warm-up run each, of BENCH_APPEND_RUNS, default 8, each store in
// turn, A B, B A, …, printed with quartiles and the ratio of each pair); bytes a point come from the first upload of each set,
// as what that series added (sizes measured before and after it):
//   SQLite: "live" = main file + WAL after a TRUNCATE checkpoint, as the store left the upload;
//     "compacted" = after the store's own `compact(id)` where it has one (chunked stores), the size
//     of a `VACUUM INTO` copy (every table and index rebuilt);
//   PostgreSQL: Σ pg_total_relation_size over the public tables (indexes and TOAST included),
//     "live" as left, "compacted" after the store's `compact(id)` and VACUUM FULL;
//   both: the store's own count (`storageStats`) where it has one;
//   InfluxDB: `du` of the database's data folder once fully compacted (WAL in its own folder).
// "Previous" is built by extracting `src/` of BENCH_PREVIOUS_REF with `git archive` (no checkout);
// BENCH_ONLY=appends runs only the `value=` appends A/B (with the server's CPU a request), in
// about BENCH_APPEND_RUNS × 2 × BENCH_APPENDS_MS. BENCH_PREVIOUS_REF=none leaves the column out. BENCH_NOW_REF=HEAD (or any ref) measures that
// commit as "now" instead of the working tree (for a tree others are editing). The client
// (writeTo, values$) is always this working tree's.
// Usage: npx tsx bench/storage.ts   (progress on stderr, the table on stdout; 1 M points: ~3.5 min
// at load 3, ~6 min at load 4–7 on the shared 2-core machine)
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import pg from 'pg';
import { startPostgresCluster } from '../spec/helpers/postgresCluster.js';
import { datasets } from './datasets.js';
import { startInfluxPeer, type InfluxPeer, type InfluxSetFigures } from './influxPeer.js';
import { measureAppends, measureTimetric, type BenchSet, type MeasureTimetricOptions, type StoreVariant, type TimetricFigure, type TimetricFigures } from './measureTimetric.js';
import { previousTree, type PreviousTree } from './previousTree.js';
import { sqliteLimits } from './sqliteLimits.js';

/** The last commit whose stores keep one row per point (SQLite `points`, PostgreSQL `points`). */
const ROW_FORMAT_COMMIT = '63c5db0886dc330f78b86fff88fe48ed973135b5';
const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
const WRITE_POINTS = Number(process.env.BENCH_WRITE_POINTS ?? 2 * POINTS);
const APPENDS_MS = Number(process.env.BENCH_APPENDS_MS ?? 2_000);
const APPEND_RUNS = Number(process.env.BENCH_APPEND_RUNS ?? 8);
const RUNS = 3;
const PREVIOUS_REF = process.env.BENCH_PREVIOUS_REF ?? ROW_FORMAT_COMMIT;
const NOW_REF = process.env.BENCH_NOW_REF;
/** BENCH_ONLY=appends: only the `value=` appends A/B (no data sets, no PostgreSQL, no InfluxDB). */
const ONLY = process.env.BENCH_ONLY;
if (ONLY !== undefined && ONLY !== 'appends') throw new Error(`BENCH_ONLY=${ONLY}: the only figure that runs alone is "appends"`);

const started = performance.now();
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
const loadAtStart = load();
const progress = (line: string): void => void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
const median = (xs: readonly number[]): number => quantile(xs, 0.5);
/** The q-quantile, linear between the two nearest of the sorted runs (the median of an even count is the mean of the middle two). */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (at - lo);
}

if (!ONLY) progress(`generating ${POINTS.toLocaleString('en-US')} points × ${datasets.length} data sets`);
const sets: BenchSet[] = ONLY
  ? []
  : datasets.map((set) => {
      const points = set.points(POINTS);
      return { set, points, csv: Buffer.from(points.csv()) };
    });
const writeToPoints = datasets[0]!.points(ONLY ? 0 : WRITE_POINTS);

const cluster = ONLY ? undefined : await startPostgresCluster({ durable: true });
let dbSeq = 0;
const admin = async (sql: string): Promise<void> => {
  const client = new pg.Client({ connectionString: cluster!.urlFor('postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};
const options: MeasureTimetricOptions = {
  runs: RUNS,
  primarySet: 'a',
  writeToPoints,
  appendsMs: APPENDS_MS,
  appendRuns: APPEND_RUNS,
  postgresIngestRuns: RUNS,
  progress,
  postgresDatabase: async () => {
    const name = `storage_${++dbSeq}`;
    await admin(`CREATE DATABASE ${name}`);
    return { url: cluster!.urlFor(name), drop: () => admin(`DROP DATABASE ${name}`) };
  },
};

const nowVariant: StoreVariant = { name: 'now', root: process.cwd(), figures: new Map() };
let nowNote = 'this working tree';
let previousVariant: StoreVariant | undefined;
let previousLabel = 'previous';
let previousNote = 'left out (BENCH_PREVIOUS_REF=none)';
const influx: Record<string, InfluxSetFigures> = {};
let influxVersion = '';
let limits: ReturnType<typeof sqliteLimits> | undefined;
const trees: PreviousTree[] = [];
let peer: InfluxPeer | undefined;
try {
  if (NOW_REF) {
    const tree = previousTree(NOW_REF);
    trees.push(tree);
    nowVariant.root = tree.root;
    nowNote = `${tree.commit.slice(0, 7)} "${tree.subject.slice(0, 60)}" (BENCH_NOW_REF=${NOW_REF})`;
  }
  if (PREVIOUS_REF !== 'none') {
    try {
      const tree = previousTree(PREVIOUS_REF);
      trees.push(tree);
      previousVariant = { name: `previous ${tree.commit.slice(0, 7)}`, root: tree.root, figures: new Map() };
      previousLabel = previousVariant.name;
      const same = spawnSync('git', ['diff', '--quiet', tree.commit, ...(NOW_REF ? [trees[0]!.commit] : []), '--', 'src/server/store', 'src/codec']).status === 0;
      previousNote = `${tree.commit.slice(0, 7)} "${tree.subject.slice(0, 60)}"${same ? " — its store and codec code are the same as now's: this column re-measures the same store (differences are noise, or other server code)" : ''}`;
    } catch (err) {
      previousNote = `${PREVIOUS_REF} could not be extracted: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  const variants = previousVariant ? [nowVariant, previousVariant] : [nowVariant];
  if (ONLY === 'appends') {
    await measureAppends(variants, options);
  } else {
    const influxPeer = (peer = await startInfluxPeer({ runs: RUNS }));
    influxVersion = influxPeer.version;
    // One data set at a time; within it every run of every figure is taken in turn across the
    // stores (InfluxDB's ingest runs too), so a change of the machine's load shifts them alike.
    for (const benchSet of sets) {
      progress(`(${benchSet.set.name}) ${benchSet.set.description}`);
      await measureTimetric(variants, benchSet, { ...options, peerIngestRun: (run) => influxPeer.ingestRun(benchSet.set, benchSet.points, run) });
      influx[benchSet.set.name] = influxPeer.figures(benchSet.set)!;
    }
    progress('SQLite limits (in-process)');
    limits = sqliteLimits(POINTS, RUNS);
  }
} finally {
  await peer?.stop();
  for (const tree of trees) tree.remove();
  cluster?.stop();
}
const now = nowVariant.figures;
const previous = previousVariant?.figures;
if (nowVariant.error) throw new Error(`timetric now could not be measured: ${nowVariant.error}`);
if (previousVariant?.error) previousNote += `; stopped part-way, not measurable: ${previousVariant.error}`;

// --- the table ---
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const rateOf = (unit: string) => (x: number) => `${int(x)} ${unit}`;
const bytes = (x: number): string => `${x.toFixed(2)} B`;
const cell = (figures: TimetricFigures | undefined, f: TimetricFigure, set: string): number | undefined => {
  const runs = figures?.get(`${f}/${set}`);
  return runs?.length ? median(runs) : undefined;
};
const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b !== undefined && b !== 0 ? `${(a / b).toFixed(2)}×` : '—');
const details: string[] = [];
const runsOf = (xs: readonly number[] | undefined, show: (x: number) => string): string => (xs?.length ? xs.map(show).join(', ') : '—');

const rows: string[] = [];
const row = (figure: string, f: TimetricFigure, show: (x: number) => string, setNames: readonly string[], peer?: (set: string) => { value: number; runs: number[] } | undefined): void => {
  for (const set of setNames) {
    const a = cell(now, f, set);
    const b = cell(previous, f, set);
    const p = peer?.(set);
    if (a === undefined && b === undefined && !p) continue; // a figure neither store has (e.g. storageStats of the row format)
    const label = set ? `(${set}) ${datasets.find((d) => d.name === set)!.description}` : '—';
    rows.push(`| ${figure} | ${label} | ${a === undefined ? '—' : show(a)} | ${b === undefined ? '—' : show(b)} | ${p ? show(p.value) : '—'} | ${ratio(a, p?.value)} | ${ratio(a, b)} |`);
    if ((now.get(`${f}/${set}`)?.length ?? 0) > 1) {
      details.push(`${figure} ${set || ''}: now ${runsOf(now.get(`${f}/${set}`), show)}; previous ${runsOf(previous?.get(`${f}/${set}`), show)}${p && p.runs.length > 1 ? `; InfluxDB ${runsOf(p.runs, show)}` : ''}`);
    }
  }
};
const names = datasets.map((d) => d.name);
const influxBytes = (set: string) => {
  const f = influx[set];
  return f && { value: f.bytes / f.points, runs: [] };
};
const influxIngest = (set: string) => {
  const f = influx[set];
  return f && { value: median(f.ingest), runs: f.ingest };
};
for (const { set, points, csv } of sets) {
  rows.push(`| CSV text of the set (reference) | (${set.name}) ${set.description} | ${bytes(csv.length / points.times.length)} | | | | |`);
}
row('bytes a point, SQLite, compacted (VACUUM INTO)', 'sqlite.bytes.compacted', bytes, names, influxBytes);
row('bytes a point, SQLite, live file + WAL after checkpoint', 'sqlite.bytes.live', bytes, names);
row("bytes a point, SQLite, the store's own count (storageStats)", 'sqlite.bytes.store', bytes, names);
row(`ingest, raw text/csv POST of ${int(POINTS)} points, SQLite`, 'sqlite.ingest', rateOf('points/s'), names, influxIngest);
row('full CSV read, GET /csv/, client drains bytes', 'sqlite.read', rateOf('points/s'), names);
row('values$, default pageSize', 'sqlite.values', rateOf('points/s'), names);
row(`writeTo acknowledged, ${int(WRITE_POINTS)} points`, 'sqlite.writeTo', rateOf('points/s'), ['a']);
row(`value= appends, 16 concurrent, ${int(APPENDS_MS)} ms a run, median of ${APPEND_RUNS}`, 'sqlite.appends', rateOf('req/s'), ['']);
row('bytes a point, PostgreSQL, compacted (VACUUM FULL)', 'pg.bytes.compacted', bytes, names, influxBytes);
row('bytes a point, PostgreSQL, live', 'pg.bytes.live', bytes, names);
row("bytes a point, PostgreSQL, the store's own count (storageStats)", 'pg.bytes.store', bytes, names);
row('ingest into an existing series, raw CSV POST, PostgreSQL', 'pg.ingest', rateOf('points/s'), ['a'], influxIngest);
{
  // The appends A/B: runs taken in turn (A B, B A, …), so pairs saw about the same load.
  const a = now.get('sqlite.appends/') ?? [];
  const b = previous?.get('sqlite.appends/') ?? [];
  if (a.length > 0 && b.length > 0) {
    const spread = (xs: readonly number[]): string => `min ${int(Math.min(...xs))}, quartiles ${int(quantile(xs, 0.25))}–${int(quantile(xs, 0.75))}, max ${int(Math.max(...xs))}`;
    const pairs = a.slice(0, b.length).map((x, i) => x / b[i]!);
    details.push(
      `appends A/B, ${a.length} runs each in turn: now median ${int(median(a))} req/s (${spread(a)}); previous median ${int(median(b))} req/s (${spread(b)}); ` +
        `ratio of medians ${(median(a) / median(b)).toFixed(2)}, of pairs ${pairs.map((r) => r.toFixed(2)).join(' ')} (median ${median(pairs).toFixed(2)}, quartiles ${quantile(pairs, 0.25).toFixed(2)}–${quantile(pairs, 0.75).toFixed(2)})`,
    );
    // Server CPU per request: what the code costs, less sensitive to the machine's load than req/s.
    const ca = now.get('sqlite.appends.cpu/') ?? [];
    const cb = previous?.get('sqlite.appends.cpu/') ?? [];
    if (ca.length > 0 && cb.length > 0) {
      const cpuPairs = ca.slice(0, cb.length).map((x, i) => x / cb[i]!);
      details.push(
        `appends server CPU (user + system) a request: now median ${int(median(ca))} µs (${ca.map(int).join(', ')}); previous median ${int(median(cb))} µs (${cb.map(int).join(', ')}); ` +
          `now ÷ previous of pairs median ${median(cpuPairs).toFixed(2)} (quartiles ${quantile(cpuPairs, 0.25).toFixed(2)}–${quantile(cpuPairs, 0.75).toFixed(2)})`,
      );
    }
  }
}
for (const set of ONLY ? [] : names.slice(1)) {
  details.push(`PostgreSQL ingest ${set} (the upload measured for its bytes, 1 run): now ${runsOf(now.get(`pg.ingest/${set}`), rateOf('points/s'))}; previous ${runsOf(previous?.get(`pg.ingest/${set}`), rateOf('points/s'))}`);
}

console.log(`\nstorage benchmark — ${int(POINTS)} points a data set, medians of ${RUNS} runs, ${availableParallelism()} cores, load average ${loadAtStart} at start, ${load()} at end, ${((performance.now() - started) / 1000).toFixed(0)} s in all`);
console.log(`now: ${nowNote}\nprevious: ${previousNote}`);
if (limits) console.log(`SQLite itself here, same run (in-process, no HTTP): ${int(limits.insertRowsPerSecond)} rows/s inserted in one transaction, ${int(limits.commitsPerSecond)} single-row commits/s with synchronous=FULL`);
console.log(`${ONLY ? `BENCH_ONLY=${ONLY}: no data sets, PostgreSQL or InfluxDB this run` : `InfluxDB: ${influxVersion}`}; ratios are timetric now ÷ the other column (bytes: lower is better; rates: higher is better)\n`);
console.log(`| figure | data set | timetric now | ${previousLabel} | InfluxDB 1.6 | now ÷ InfluxDB | now ÷ previous |`);
console.log('|---|---|---|---|---|---|---|');
for (const line of rows) console.log(line);
if (!ONLY) console.log(
  '\nbytes a point = what the first upload of a set added. SQLite, through a second connection: live = main file + WAL after wal_checkpoint(TRUNCATE); ' +
    "compacted = after the store's compact(id) where it has one, the size of a VACUUM INTO copy. PostgreSQL: Σ pg_total_relation_size over the public tables " +
    "(indexes, TOAST), compacted after compact(id) and VACUUM FULL. InfluxDB: du of the database's data folder after full compaction, WAL (own folder, empty) excluded.",
);
console.log('\nruns:');
for (const line of details) console.log(`  ${line}`);
if (!ONLY) console.log('InfluxDB data folders when measured (first run of each set):');
for (const [name, f] of Object.entries(influx)) {
  console.log(`  (${name}) du ${int(f.bytes)} B = ${bytes(f.bytes / f.points)}/point, TSM files alone ${bytes(f.tsmBytes / f.points)}/point; ${f.shards} shard(s), ${f.tsmFiles} TSM file(s), ${f.compacted ? 'fully compacted' : 'NOT fully compacted (upper bound)'} ${(f.compactionMs / 1000).toFixed(1)} s after the last write`);
}
