import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, lastValueFrom, map, range, reduce } from 'rxjs';
import { TimetricClient, writeTo } from '../src/index.js';
import type { DataSet, DataSetPoints } from './datasets.js';
import { postgresBytes } from './postgresBytes.js';
import { sqliteBytes } from './sqliteBytes.js';
import { startStorageServer, type StorageServer } from './startStorageServer.js';

/** One data set as the bench feeds it: its points and their CSV text. */
export interface BenchSet {
  set: DataSet;
  points: DataSetPoints;
  csv: Buffer<ArrayBuffer>;
}

/** Figures {@link measureTimetric} records, each by data set. */
export type TimetricFigure =
  | 'sqlite.bytes.compacted'
  | 'sqlite.bytes.live'
  | 'sqlite.bytes.store'
  | 'sqlite.ingest'
  | 'sqlite.read'
  | 'sqlite.values'
  | 'sqlite.writeTo'
  | 'sqlite.appends'
  /** Server CPU time (user + system) per append, µs, over the same run. */
  | 'sqlite.appends.cpu'
  | 'pg.bytes.compacted'
  | 'pg.bytes.live'
  | 'pg.bytes.store'
  | 'pg.ingest';

/** Recorded runs: `figures.get(`${figure}/${set}`)` is one number a run (points/s, req/s or bytes a point). */
export type TimetricFigures = Map<string, number[]>;

/** One source tree whose store is measured, and what was measured of it. */
export interface StoreVariant {
  /** For progress lines. */
  name: string;
  /** Folder holding the tree's `src/` (bench/storageServer.ts serves it). */
  root: string;
  figures: TimetricFigures;
  /** Set when a step failed; the variant is left out from then on, the others go on. */
  error?: string;
}

/** Options of {@link measureTimetric}. */
export interface MeasureTimetricOptions {
  runs: number;
  /** The data set whose SQLite server also measures `writeTo` and appends, and whose PostgreSQL ingest gets `postgresIngestRuns` runs. */
  primarySet: string;
  /** Points written through `writeTo` per run, on the primary set's SQLite server. */
  writeToPoints: DataSetPoints;
  /** How long each run of `value=` appends (16 at a time) keeps starting requests, ms. */
  appendsMs: number;
  /**
   * Runs of `value=` appends per store, taken in turn (A B, B A, A B, …): more than `runs`, since
   * fsync-bound commits on a shared machine vary from run to run far more than the stores differ.
   */
  appendRuns: number;
  /** PostgreSQL ingest runs on the primary data set (the others get one upload each, for their bytes). */
  postgresIngestRuns: number;
  /** A fresh PostgreSQL database per call (its URL, and how to drop it once its server stopped); absent: no PostgreSQL figures. */
  postgresDatabase?: () => Promise<{ url: string; drop: () => Promise<void> }>;
  /** A peer's ingest run of the same set (InfluxDB), taken in turn with the SQLite ones. */
  peerIngestRun?: (run: number) => Promise<void>;
  /** Progress lines (to stderr). */
  progress: (line: string) => void;
}

const APPEND_CONCURRENCY = 16;

/** A variant with its server for the data set being measured. */
interface Running {
  variant: StoreVariant;
  server: StorageServer;
  client: TimetricClient;
  put: (f: TimetricFigure, set: string, x: number) => void;
  /** The series of the first upload: the one read back. */
  first: string;
}

const failed = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const rate = async (points: number, f: () => Promise<void>): Promise<number> => {
  const t0 = performance.now();
  await f();
  return points / ((performance.now() - t0) / 1000);
};

/**
 * Runs one step for every variant still standing, in turn: forward on even runs, backward on odd
 * ones, so neither goes first every time. A failing variant is marked and dropped; the rest go on.
 */
async function inTurn(running: Running[], run: number, o: MeasureTimetricOptions, step: (r: Running) => Promise<void>): Promise<void> {
  const order = run % 2 === 0 ? [...running] : [...running].reverse();
  for (const r of order) {
    if (r.variant.error !== undefined) continue;
    try {
      await step(r);
    } catch (err) {
      r.variant.error = failed(err);
      o.progress(`  ${r.variant.name} failed: ${r.variant.error}`);
    }
  }
}

async function startAll(variants: readonly StoreVariant[], db: (i: number) => Promise<string>, o: MeasureTimetricOptions): Promise<Running[]> {
  const running: Running[] = [];
  for (const [i, variant] of variants.entries()) {
    if (variant.error !== undefined) continue;
    try {
      const server = await startStorageServer(variant.root, await db(i));
      const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: server.key, apitoken_secret: server.secret }, { baseUrl: server.url });
      const put = (f: TimetricFigure, set: string, x: number): void => {
        const key = `${f}/${set}`;
        variant.figures.set(key, [...(variant.figures.get(key) ?? []), x]);
      };
      running.push({ variant, server, client, put, first: '' });
    } catch (err) {
      variant.error = failed(err);
      o.progress(`  ${variant.name} failed: ${variant.error}`);
    }
  }
  return running;
}

async function newSeries(client: TimetricClient, title: string): Promise<string> {
  return (await client.createSeries({ title, caption: 'storage bench' })).id;
}

/** The store's own bytes a point for one series (`Store.storageStats`), when the store has it. */
async function storeCount(server: StorageServer, id: string, points: number, record: (bytesAPoint: number) => void): Promise<void> {
  const { stats } = (await server.control('stats', id)) as { stats: { series: { seriesId: string; points: number; bytes: number }[] } | null };
  const mine = stats?.series.find((s) => s.seriesId === id);
  if (!mine) return;
  if (mine.points !== points) throw new Error(`storageStats counts ${mine.points} points in ${id}, expected ${points}`);
  record(mine.bytes / points);
}

/** CPU time the server process has used so far (user + system), µs. */
async function cpuOf(server: StorageServer): Promise<number> {
  const { user, system } = (await server.control('cpu')) as { user: number; system: number };
  return user + system;
}

/** One raw `text/csv` POST of the whole set into an existing series. */
async function postCsv(server: StorageServer, id: string, body: Buffer<ArrayBuffer>): Promise<void> {
  const r = await fetch(`${server.url}/series/${id}/`, { method: 'POST', headers: { authorization: server.basic, 'content-type': 'text/csv' }, body });
  if (r.status !== 204) throw new Error(`CSV POST: ${r.status} ${(await r.text()).slice(0, 200)}`);
}

/** GET /series/ID/csv/ of the whole series; the client only counts line ends. */
async function drainCsv(server: StorageServer, id: string, expect: number): Promise<void> {
  const r = await fetch(`${server.url}/series/${id}/csv/`, { headers: { authorization: server.basic } });
  if (r.status !== 200 || !r.body) throw new Error(`CSV GET: ${r.status}`);
  let lines = 0;
  for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  }
  if (lines !== expect) throw new Error(`CSV GET returned ${lines} points, expected ${expect}`);
}

async function measureSqlite(variants: readonly StoreVariant[], { set, points, csv }: BenchSet, o: MeasureTimetricOptions): Promise<void> {
  const n = points.times.length;
  const dir = mkdtempSync(join(tmpdir(), 'timetric-storage-'));
  const file = (i: number): string => join(dir, `${i}-${set.name}.db`);
  const running = await startAll(variants, (i) => Promise.resolve(file(i)), o);
  try {
    for (let run = 0; run < o.runs; run++) {
      await inTurn(running, run, o, async (r) => {
        const id = await newSeries(r.client, `${set.name} ${run}`);
        const i = variants.indexOf(r.variant);
        const before = run === 0 ? await sqliteBytes(file(i)) : undefined;
        r.put('sqlite.ingest', set.name, await rate(n, () => postCsv(r.server, id, csv)));
        if (before) {
          const after = await sqliteBytes(file(i), () => r.server.control('compact', id));
          r.put('sqlite.bytes.compacted', set.name, (after.compacted - before.compacted) / n);
          r.put('sqlite.bytes.live', set.name, (after.live - before.live) / n);
          await storeCount(r.server, id, n, (x) => r.put('sqlite.bytes.store', set.name, x));
          r.first = id;
        }
      });
      if (o.peerIngestRun) await o.peerIngestRun(run);
    }
    o.progress(`  (${set.name}) SQLite ingest and bytes done`);
    for (let run = 0; run < o.runs; run++) {
      await inTurn(running, run, o, async (r) => {
        r.put('sqlite.read', set.name, await rate(n, () => drainCsv(r.server, r.first, n)));
        r.put('sqlite.values', set.name, await rate(n, async () => {
          const got = await lastValueFrom(r.client.series(r.first).values().pipe(count()));
          if (got !== n) throw new Error(`values$ emitted ${got} points, expected ${n}`);
        }));
      });
    }
    o.progress(`  (${set.name}) SQLite reads done`);
    if (set.name === o.primarySet) await writes(running, set, o);
  } finally {
    await Promise.all(running.map((r) => r.server.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** writeTo and 16 concurrent `value=` appends, each run into a fresh series. */
async function writes(running: Running[], set: DataSet, o: MeasureTimetricOptions): Promise<void> {
  const { times, values } = o.writeToPoints;
  const n = times.length;
  for (let run = 0; run < o.runs; run++) {
    await inTurn(running, run, o, async (r) => {
      const target = r.client.series(await newSeries(r.client, `writeTo ${run}`));
      // The batch sizes of bench/streams.ts, so the figure compares with the README's.
      r.put('sqlite.writeTo', set.name, await rate(n, async () => {
        const acked = await lastValueFrom(
          range(0, n).pipe(
            map((i) => [times[i]!, values[i]!] as const),
            writeTo(target, { maxBatchPoints: 50_000, maxBatchBytes: 4_000_000, maxBufferPoints: n }),
            reduce((sum, receipt) => sum + receipt.points, 0),
          ),
        );
        if (acked !== n) throw new Error(`writeTo acknowledged ${acked} of ${n} points`);
      }));
    });
  }
  o.progress('  SQLite writeTo done');
  await appends(running, o);
}

/** `appendRuns` runs of 16 concurrent `value=` appends per variant, in turn, each into a fresh series. */
async function appends(running: Running[], o: MeasureTimetricOptions): Promise<void> {
  // Run -1 warms each server up (JIT, caches, the WAL file) and is not recorded: the first run of
  // a cold server was up to 2.5× slower than the rest, and only one of each pair is cold.
  for (let run = -1; run < o.appendRuns; run++) {
    await inTurn(running, Math.max(run, 0), o, async (r) => {
      const url = `${r.server.url}/series/${await newSeries(r.client, `appends ${run}`)}/`;
      // A fixed time window rather than a fixed count: fsync-bound commits vary 20× on this shared
      // machine, and the window keeps the bench's length bounded. Requests started in it all count.
      let done = 0;
      const cpu0 = await cpuOf(r.server);
      const t0 = performance.now();
      const until = t0 + o.appendsMs;
      await Promise.all(
        Array.from({ length: APPEND_CONCURRENCY }, async () => {
          while (performance.now() < until) {
            const res = await fetch(url, {
              method: 'POST',
              headers: { authorization: r.server.basic, 'content-type': 'application/x-www-form-urlencoded' },
              body: `value=${done}`,
            });
            if (res.status !== 204) throw new Error(`value= append: ${res.status} ${await res.text()}`);
            done++;
          }
        }),
      );
      if (run < 0) return;
      r.put('sqlite.appends', '', done / ((performance.now() - t0) / 1000));
      r.put('sqlite.appends.cpu', '', ((await cpuOf(r.server)) - cpu0) / done);
    });
  }
  o.progress('  SQLite appends done');
}

async function measurePostgres(variants: readonly StoreVariant[], { set, points, csv }: BenchSet, o: MeasureTimetricOptions, database: NonNullable<MeasureTimetricOptions['postgresDatabase']>): Promise<void> {
  const n = points.times.length;
  const databases = new Map<number, { url: string; drop: () => Promise<void> }>();
  const running = await startAll(
    variants,
    async (i) => {
      const d = await database();
      databases.set(i, d);
      return d.url;
    },
    o,
  );
  try {
    // Every set gets one upload (for its bytes: the VACUUM FULL around it is the costly part);
    // only the primary set gets postgresIngestRuns uploads, for an ingest median.
    const runs = set.name === o.primarySet ? o.postgresIngestRuns : 1;
    for (let run = 0; run < runs; run++) {
      await inTurn(running, run, o, async (r) => {
        const url = databases.get(variants.indexOf(r.variant))!.url;
        const id = await newSeries(r.client, `${set.name} ${run}`);
        const before = run === 0 ? await postgresBytes(url) : undefined;
        r.put('pg.ingest', set.name, await rate(n, () => postCsv(r.server, id, csv)));
        if (before) {
          const after = await postgresBytes(url, () => r.server.control('compact', id));
          r.put('pg.bytes.compacted', set.name, (after.compacted - before.compacted) / n);
          r.put('pg.bytes.live', set.name, (after.live - before.live) / n);
          await storeCount(r.server, id, n, (x) => r.put('pg.bytes.store', set.name, x));
        }
      });
    }
    o.progress(`  (${set.name}) PostgreSQL done`);
  } finally {
    await Promise.all(running.map((r) => r.server.stop()));
    for (const d of databases.values()) await d.drop();
  }
}

/**
 * Only the `value=` appends figure (`sqlite.appends`): each variant's SQLite server on a fresh
 * file, `appendRuns` runs in turn (bench/storage.ts with BENCH_ONLY=appends).
 */
export async function measureAppends(variants: readonly StoreVariant[], o: MeasureTimetricOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-appends-'));
  const running = await startAll(variants, (i) => Promise.resolve(join(dir, `${i}-appends.db`)), o);
  try {
    await appends(running, o);
  } finally {
    await Promise.all(running.map((r) => r.server.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Measures the stores of several source trees on one data set, each through its own server
 * process over loopback, taking every run of every figure in turn across the trees (so a change
 * of the machine's load shifts them alike): SQLite (a fresh file per tree) and, given a database
 * factory, PostgreSQL (a fresh database per tree). Raw CSV POSTs of the whole set, each into a new
 * series (SQLite `runs` of them, alternating with `peerIngestRun`; PostgreSQL `postgresIngestRuns`
 * on the primary set, one on the others); the bytes the first upload added (sizes before and
 * after it); on SQLite then `runs` full CSV reads and `values$` reads of that series, and on the
 * primary set `writeTo` and `value=` appends. Every read checks it got every point. Figures are
 * added to each variant's `figures`.
 */
export async function measureTimetric(variants: readonly StoreVariant[], benchSet: BenchSet, o: MeasureTimetricOptions): Promise<void> {
  await measureSqlite(variants, benchSet, o);
  if (o.postgresDatabase) await measurePostgres(variants, benchSet, o, o.postgresDatabase);
}
