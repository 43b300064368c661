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
  | 'pg.bytes.compacted'
  | 'pg.bytes.live'
  | 'pg.bytes.store'
  | 'pg.ingest';

/** Options of {@link measureTimetric}. */
export interface MeasureTimetricOptions {
  runs: number;
  /** The data set whose SQLite server also measures `writeTo` and appends, and whose PostgreSQL ingest gets `postgresIngestRuns` runs. */
  primarySet: string;
  /** Points written through `writeTo` per run, on the primary set's SQLite server. */
  writeToPoints: DataSetPoints;
  /** How long each run of `value=` appends (16 at a time) keeps starting requests, ms. */
  appendsMs: number;
  /** PostgreSQL ingest runs on the primary data set (the others get one upload each, for their bytes). */
  postgresIngestRuns: number;
  /** A fresh PostgreSQL database per call (its URL, and how to drop it once its server stopped); absent: no PostgreSQL figures. */
  postgresDatabase?: () => Promise<{ url: string; drop: () => Promise<void> }>;
  /** Progress lines (to stderr). */
  progress: (line: string) => void;
}

/** Recorded runs: `figures.get(`${figure}/${set}`)` is one number a run (points/s, req/s or bytes a point). */
export type TimetricFigures = Map<string, number[]>;

const APPEND_CONCURRENCY = 16;

function clientOf(server: StorageServer): TimetricClient {
  return new TimetricClient({ authtype: 'apitoken', apitoken_key: server.key, apitoken_secret: server.secret }, { baseUrl: server.url });
}

const rate = async (points: number, f: () => Promise<void>): Promise<number> => {
  const t0 = performance.now();
  await f();
  return points / ((performance.now() - t0) / 1000);
};

async function newSeries(client: TimetricClient, title: string): Promise<string> {
  return (await client.createSeries({ title, caption: 'storage bench' })).id;
}

/** The store's own bytes a point for one series (`Store.storageStats`), when the store has it. */
async function storeCount(server: StorageServer, id: string, points: number, record: (bytesAPoint: number) => void): Promise<void> {
  const { stats } = (await server.control('stats', id)) as { stats: { series: { id: string; points: number; bytes: number }[] } | null };
  const mine = stats?.series.find((s) => s.id === id);
  if (!mine) return;
  if (mine.points !== points) throw new Error(`storageStats counts ${mine.points} points in ${id}, expected ${points}`);
  record(mine.bytes / points);
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

async function measureSqlite(root: string, sets: readonly BenchSet[], o: MeasureTimetricOptions, put: (f: TimetricFigure, set: string, x: number) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-storage-'));
  try {
    for (const { set, points, csv } of sets) {
      const n = points.times.length;
      const file = join(dir, `${set.name}.db`);
      const server = await startStorageServer(root, file);
      try {
        const client = clientOf(server);
        let first = '';
        for (let run = 0; run < o.runs; run++) {
          const id = await newSeries(client, `${set.name} ${run}`);
          const before = run === 0 ? await sqliteBytes(file) : undefined;
          put('sqlite.ingest', set.name, await rate(n, () => postCsv(server, id, csv)));
          if (before) {
            const after = await sqliteBytes(file, () => server.control('compact', id));
            put('sqlite.bytes.compacted', set.name, (after.compacted - before.compacted) / n);
            put('sqlite.bytes.live', set.name, (after.live - before.live) / n);
            await storeCount(server, id, n, (x) => put('sqlite.bytes.store', set.name, x));
            first = id;
          }
        }
        o.progress(`  sqlite ${set.name}: ingest and bytes done`);
        for (let run = 0; run < o.runs; run++) {
          put('sqlite.read', set.name, await rate(n, () => drainCsv(server, first, n)));
          put('sqlite.values', set.name, await rate(n, async () => {
            const got = await lastValueFrom(client.series(first).values().pipe(count()));
            if (got !== n) throw new Error(`values$ emitted ${got} points, expected ${n}`);
          }));
        }
        o.progress(`  sqlite ${set.name}: reads done`);
        if (set.name === o.primarySet) await writesOn(server, set.name, o, put);
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** writeTo (2 M points) and 16 concurrent `value=` appends, each run into a fresh series. */
async function writesOn(server: StorageServer, setName: string, o: MeasureTimetricOptions, put: (f: TimetricFigure, set: string, x: number) => void): Promise<void> {
  const client = clientOf(server);
  const { times, values } = o.writeToPoints;
  const n = times.length;
  for (let run = 0; run < o.runs; run++) {
    const target = client.series(await newSeries(client, `writeTo ${run}`));
    // The batch sizes of bench/streams.ts, so the figure compares with the README's.
    put('sqlite.writeTo', setName, await rate(n, async () => {
      const acked = await lastValueFrom(
        range(0, n).pipe(
          map((i) => [times[i]!, values[i]!] as const),
          writeTo(target, { maxBatchPoints: 50_000, maxBatchBytes: 4_000_000, maxBufferPoints: n }),
          reduce((sum, r) => sum + r.points, 0),
        ),
      );
      if (acked !== n) throw new Error(`writeTo acknowledged ${acked} of ${n} points`);
    }));
  }
  o.progress(`  sqlite: writeTo done`);
  for (let run = 0; run < o.runs; run++) {
    const url = `${server.url}/series/${await newSeries(client, `appends ${run}`)}/`;
    // A fixed time window rather than a fixed count: on a loaded machine fsync-bound commits vary
    // 20×, and the window keeps the bench's length bounded. Requests started inside it all count.
    let done = 0;
    const t0 = performance.now();
    const until = t0 + o.appendsMs;
    await Promise.all(
      Array.from({ length: APPEND_CONCURRENCY }, async () => {
        while (performance.now() < until) {
          const r = await fetch(url, {
            method: 'POST',
            headers: { authorization: server.basic, 'content-type': 'application/x-www-form-urlencoded' },
            body: `value=${done}`,
          });
          if (r.status !== 204) throw new Error(`value= append: ${r.status} ${await r.text()}`);
          done++;
        }
      }),
    );
    put('sqlite.appends', '', done / ((performance.now() - t0) / 1000));
  }
  o.progress(`  sqlite: appends done`);
}

async function measurePostgres(root: string, sets: readonly BenchSet[], o: MeasureTimetricOptions, database: NonNullable<MeasureTimetricOptions['postgresDatabase']>, put: (f: TimetricFigure, set: string, x: number) => void): Promise<void> {
  for (const { set, points, csv } of sets) {
    const n = points.times.length;
    const { url, drop } = await database();
    const server = await startStorageServer(root, url);
    try {
      const client = clientOf(server);
      // Every set gets one upload (for its bytes: the VACUUM FULL around it is the costly part);
      // only the primary set gets postgresIngestRuns uploads, for an ingest median.
      const runs = set.name === o.primarySet ? o.postgresIngestRuns : 1;
      for (let run = 0; run < runs; run++) {
        const id = await newSeries(client, `${set.name} ${run}`);
        const before = run === 0 ? await postgresBytes(url) : undefined;
        put('pg.ingest', set.name, await rate(n, () => postCsv(server, id, csv)));
        if (before) {
          const after = await postgresBytes(url, () => server.control('compact', id));
          put('pg.bytes.compacted', set.name, (after.compacted - before.compacted) / n);
          put('pg.bytes.live', set.name, (after.live - before.live) / n);
          await storeCount(server, id, n, (x) => put('pg.bytes.store', set.name, x));
        }
      }
      o.progress(`  postgres ${set.name}: done`);
    } finally {
      await server.stop();
      await drop();
    }
  }
}

/**
 * Measures the store of the source tree at `root` through its own server process, over loopback:
 * SQLite (a fresh file per data set) and, when given a database factory, PostgreSQL (a fresh
 * database per data set). Per set: raw CSV POSTs of the whole set, each into a new series (SQLite
 * `runs` of them; PostgreSQL `postgresIngestRuns` on the primary set, one on the others); the
 * bytes the first one added (difference of two measurements around it); on SQLite then `runs` full
 * CSV reads and `values$` reads of that series, and on the primary set's server `writeTo` and
 * `value=` appends. Every read checks it got every point. Figures are added to `figures` (so calls
 * for one set at a time, interleaved with other stores, accumulate).
 */
export async function measureTimetric(root: string, sets: readonly BenchSet[], o: MeasureTimetricOptions, figures: TimetricFigures = new Map()): Promise<TimetricFigures> {
  const put = (f: TimetricFigure, set: string, x: number): void => {
    const key = `${f}/${set}`;
    figures.set(key, [...(figures.get(key) ?? []), x]);
  };
  await measureSqlite(root, sets, o, put);
  if (o.postgresDatabase) await measurePostgres(root, sets, o, o.postgresDatabase, put);
  return figures;
}
