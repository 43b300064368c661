// InfluxDB 1.6 as the storage benchmark's peer (issue 17): starts Debian's `influxd` as a child
// process on spare loopback ports with a generated config (data, meta and WAL in a temp folder,
// usage reporting, monitoring, retention and continuous queries off, WAL fsync on every write like
// our synchronous=FULL), writes each data set over HTTP `/write` in line-protocol batches, and
// measures ingest (first batch sent → last batch acknowledged) and, once the shard is fully
// compacted (cache snapshotted to TSM, WAL empty, one TSM file per shard), its bytes on disk
// (`du` of the database's data folder; the WAL lives in its own folder and is empty by then).
// Usage: `const peer = await startInfluxPeer(); await peer.measure(set, points); await peer.stop()`
// (bench/storage.ts takes `ingestRun`s in turn with its own), or `npx tsx bench/influxPeer.ts` for
// its figures alone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { datasets, type DataSet, type DataSetPoints } from './datasets.js';

/** How {@link startInfluxPeer}'s peer measures. */
export interface InfluxPeerOptions {
  /** Ingest runs per data set in `measure`, each into a fresh database. Default 3. */
  runs?: number;
  /** Points per `/write` request (InfluxData recommends 5,000–10,000). Default 10,000. */
  batchPoints?: number;
  /** `/write` requests in flight at once. Default 2 (one per core). */
  concurrency?: number;
  /** Longest wait for a full compaction before measuring anyway, ms. Default 60,000. */
  compactionTimeoutMs?: number;
}

/** Figures of one data set. */
export interface InfluxSetFigures {
  /** Acknowledged points/s, one entry per run. */
  ingest: number[];
  /** Allocated bytes (`du`) of the first run's database data folder once compacted: TSM files (each with its block index), `fields.idx`, the series file. The WAL has its own folder (empty by then) and is not counted. */
  bytes: number;
  /** The TSM files alone, apparent bytes. */
  tsmBytes: number;
  points: number;
  /** Shards and TSM files the data folder held when measured. */
  shards: number;
  tsmFiles: number;
  /** False when the compaction did not finish within the timeout (the bytes are then an upper bound). */
  compacted: boolean;
  /** Time from the last acknowledged write to the measured compaction, ms. */
  compactionMs: number;
}

const DEFAULT_INFLUX_PEER_OPTIONS = { runs: 3, batchPoints: 10_000, concurrency: 2, compactionTimeoutMs: 60_000 };

function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function config(dir: string, httpPort: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
  logging-enabled = false
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  wal-fsync-delay = "0s"
  index-version = "inmem"
  query-log-enabled = false
  cache-snapshot-write-cold-duration = "1s"
  compact-full-write-cold-duration = "1s"
[retention]
  enabled = false
[shard-precreation]
  enabled = false
[monitor]
  store-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  log-enabled = false
  pprof-enabled = false
[logging]
  level = "warn"
  suppress-logo = true
`;
}

/**
 * What a folder holds: apparent bytes, allocated bytes (`du`: the series file `_series` is
 * preallocated sparse, 8 × 4 MB apparent, a few blocks used), TSM files and their bytes, and
 * temporary files (a compaction in progress).
 */
function scan(dir: string): { bytes: number; allocated: number; tsm: number; tsmBytes: number; tmp: number; shards: Set<string> } {
  const out = { bytes: 0, allocated: 0, tsm: 0, tsmBytes: 0, tmp: 0, shards: new Set<string>() };
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const st = statSync(path);
        out.bytes += st.size;
        out.allocated += st.blocks * 512;
        if (entry.name.endsWith('.tsm')) {
          out.tsm++;
          out.tsmBytes += st.size;
          out.shards.add(d);
        }
        if (entry.name.includes('.tmp')) out.tmp++;
      }
    }
  };
  walk(dir);
  return out;
}

/** One `influxd` child process on spare loopback ports, its data in a temp folder (see {@link startInfluxPeer}). */
export class InfluxProcess {
  private exited = false;
  private stderr = '';
  private constructor(
    readonly dir: string,
    readonly url: string,
    private readonly child: ChildProcess,
  ) {
    child.stderr?.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-4000)));
    child.once('exit', () => (this.exited = true));
  }

  /**
   * CPU time influxd has used so far, all threads, µs (Linux: `/proc/PID/stat`, in clock ticks of
   * 10 ms). Load-independent where wall time is not: compare it with the server's `process.cpuUsage()`.
   */
  cpuMicros(): number {
    const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, inside parentheses): utime is the 14th field, stime the 15th.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) * 10_000;
  }

  static async start(): Promise<InfluxProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'timetric-influx-'));
    const [httpPort, rpcPort] = [await sparePort(), await sparePort()];
    const file = join(dir, 'influxdb.conf');
    writeFileSync(file, config(dir, httpPort, rpcPort));
    const child = spawn('influxd', ['run', '-config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    const kill = (): void => void child.kill('SIGKILL');
    process.once('exit', kill);
    child.once('exit', () => process.off('exit', kill));
    const peer = new InfluxProcess(dir, `http://127.0.0.1:${httpPort}`, child);
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      const deadline = Date.now() + 30_000;
      const ping = (): void => {
        if (peer.exited) return reject(new Error(`influxd exited at start: ${peer.stderr}`));
        fetch(`${peer.url}/ping`).then(
          (r) => (r.status === 204 ? resolve() : retry()),
          () => retry(),
        );
      };
      const retry = (): void => {
        if (Date.now() > deadline) reject(new Error(`influxd did not answer /ping within 30 s: ${peer.stderr}`));
        else setTimeout(ping, 100);
      };
      ping();
    });
    return peer;
  }

  async query(q: string): Promise<void> {
    const r = await fetch(`${this.url}/query`, { method: 'POST', body: new URLSearchParams({ q }) });
    const text = await r.text();
    if (r.status !== 200 || text.includes('"error"')) throw new Error(`influx query ${q}: ${r.status} ${text}`);
  }

  async write(db: string, precision: string, body: string): Promise<void> {
    const r = await fetch(`${this.url}/write?db=${db}&precision=${precision}`, { method: 'POST', body });
    if (r.status !== 204) throw new Error(`influx /write: ${r.status} ${await r.text()}`);
  }

  /** Waits until the database's WAL is empty and each shard holds one TSM file, stable over 2 looks. */
  async compacted(db: string, timeoutMs: number): Promise<{ data: ReturnType<typeof scan>; done: boolean }> {
    const deadline = Date.now() + timeoutMs;
    let stable = 0;
    for (;;) {
      const data = scan(join(this.dir, 'data', db));
      const wal = scan(join(this.dir, 'wal', db));
      const done = wal.bytes === 0 && data.tmp === 0 && data.tsm > 0 && data.tsm === data.shards.size;
      stable = done ? stable + 1 : 0;
      if (stable >= 2) return { data, done: true };
      if (Date.now() > deadline) return { data, done: false };
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A running `influxd` peer. */
export interface InfluxPeer {
  /** `influxd version`. */
  version: string;
  /**
   * One ingest run of a data set into a fresh database (one measurement, one field `value`: a
   * float, or an integer for integer sets). After run 0 it waits for the full compaction and
   * measures that database's bytes on disk. The database is dropped after its run, so no snapshot
   * or compaction overlaps what comes next.
   */
  ingestRun(set: DataSet, points: DataSetPoints, run: number): Promise<void>;
  /** What the runs of a data set measured so far. */
  figures(set: DataSet): InfluxSetFigures | undefined;
  /** `runs` ingest runs of a data set (see {@link ingestRun}); resolves to its figures. */
  measure(set: DataSet, points: DataSetPoints): Promise<InfluxSetFigures>;
  /** SIGTERM (SIGKILL after 10 s) and removes the temp folder. */
  stop(): Promise<void>;
}

/**
 * Starts `influxd` on spare loopback ports with a generated config; resolves once `/ping`
 * answers. Also killed when this process exits.
 */
export async function startInfluxPeer(options: InfluxPeerOptions = {}): Promise<InfluxPeer> {
  const o = { ...DEFAULT_INFLUX_PEER_OPTIONS, ...options };
  const version = spawnSync('influxd', ['version'], { encoding: 'utf8' }).stdout.trim();
  const peer = await InfluxProcess.start();
  const figures = new Map<string, InfluxSetFigures>();
  // The line-protocol bodies of the last set asked for (one set's worth in memory).
  let bodiesOf: { points: DataSetPoints; bodies: string[] } | undefined;
  const bodies = (points: DataSetPoints): string[] => {
    if (bodiesOf?.points !== points) {
      const n = points.times.length;
      const list: string[] = [];
      for (let from = 0; from < n; from += o.batchPoints) list.push(points.lineProtocol('m', from, Math.min(n, from + o.batchPoints)));
      bodiesOf = { points, bodies: list };
    }
    return bodiesOf.bodies;
  };
  const api: InfluxPeer = {
    version,
    stop: () => peer.stop(),
    figures: (set) => figures.get(set.name),
    async ingestRun(set, points, run) {
      const n = points.times.length;
      const f = figures.get(set.name) ?? { ingest: [], bytes: 0, tsmBytes: 0, points: n, shards: 0, tsmFiles: 0, compacted: false, compactionMs: 0 };
      figures.set(set.name, f);
      const list = bodies(points);
      const db = `bench_${set.name}_${run}`;
      await peer.query(`CREATE DATABASE ${db}`);
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: o.concurrency }, async () => {
          while (next < list.length) await peer.write(db, set.precision, list[next++]!);
        }),
      );
      const t1 = performance.now();
      f.ingest.push(n / ((t1 - t0) / 1000));
      if (run === 0) {
        const { data, done } = await peer.compacted(db, o.compactionTimeoutMs);
        Object.assign(f, { bytes: data.allocated, tsmBytes: data.tsmBytes, shards: data.shards.size, tsmFiles: data.tsm, compacted: done, compactionMs: performance.now() - t1 });
      }
      await peer.query(`DROP DATABASE ${db}`);
    },
    async measure(set, points) {
      for (let run = 0; run < o.runs; run++) await api.ingestRun(set, points, run);
      return figures.get(set.name)!;
    },
  };
  return api;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const n = Number(process.env.BENCH_POINTS ?? 1_000_000);
  const peer = await startInfluxPeer();
  try {
    console.log(peer.version);
    for (const set of datasets) {
      const f = await peer.measure(set, set.points(n));
      const rates = f.ingest.map((r) => Math.round(r).toLocaleString('en-US')).join(', ');
      console.log(`${set.name}: ${(f.bytes / f.points).toFixed(2)} B/point du, TSM ${(f.tsmBytes / f.points).toFixed(2)} (${f.shards} shards, ${f.tsmFiles} TSM, compacted ${f.compacted} after ${Math.round(f.compactionMs)} ms), ingest ${rates} points/s`);
    }
  } finally {
    await peer.stop();
  }
}
