// InfluxDB 1.6 as the downsampling bench's peer (issue 12): the same points in a fresh `influxd`
// (bench/influxPeer.ts's InfluxProcess: spare loopback ports, data in a temp folder), written over
// HTTP /write in line-protocol batches, fully compacted, then queried with GROUP BY time().
import type { DataSetPoints } from './datasets.js';
import { InfluxProcess } from './influxPeer.js';

/** A loaded `influxd`: time a query, stop it. */
export interface InfluxDownsamplePeer {
  /** Points/s of the load. */
  readonly ingestPerSecond: number;
  /** Whether the shard was fully compacted before the queries (false: measured anyway after the timeout). */
  readonly compacted: boolean;
  /** Runs `q` once on the database; resolves to its wall time, ms, and the number of rows of its answer. */
  time(q: string): Promise<{ ms: number; rows: number }>;
  stop(): Promise<void>;
}

const DB = 'downsample';

/** Starts `influxd`, loads `points` as measurement `m`, field `value`, and waits for the full compaction. */
export async function loadInfluxPeer(points: DataSetPoints, batchPoints = 10_000, concurrency = 2): Promise<InfluxDownsamplePeer> {
  const peer = await InfluxProcess.start();
  await peer.query(`CREATE DATABASE ${DB}`);
  const n = points.times.length;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const from = next;
        next = Math.min(n, next + batchPoints);
        await peer.write(DB, 's', points.lineProtocol('m', from, next));
      }
    }),
  );
  const ingestPerSecond = n / ((performance.now() - t0) / 1000);
  const { done } = await peer.compacted(DB, 180_000);
  return {
    ingestPerSecond,
    compacted: done,
    async time(q) {
      const t = performance.now();
      const r = await fetch(`${peer.url}/query?db=${DB}&epoch=s`, { method: 'POST', body: new URLSearchParams({ q }) });
      const body = (await r.json()) as { results?: { series?: { values?: unknown[] }[]; error?: string }[] };
      const ms = performance.now() - t;
      const result = body.results?.[0];
      if (r.status !== 200 || result?.error) throw new Error(`influx ${q}: ${r.status} ${JSON.stringify(body).slice(0, 300)}`);
      return { ms, rows: result?.series?.[0]?.values?.length ?? 0 };
    },
    stop: () => peer.stop(),
  };
}
