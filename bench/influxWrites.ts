// The writers of the ingest benchmark (issue 13): node-influx 5.12 `writePoints` in batches, a
// fixed number in flight, against any server speaking the InfluxDB 1.x write API (ours or
// influxd 1.6), and one raw line-protocol POST. Points are made as they are sent, the same way for
// every target, so the client's own cost is the same on both sides of a ratio.
import { InfluxDB, type IPoint } from 'influx';

/** Where {@link measureNodeInfluxWrites} writes. */
export interface InfluxTarget {
  host: string;
  port: number;
  database: string;
  username?: string;
  password?: string;
}

/** How {@link measureNodeInfluxWrites} writes. */
export interface NodeInfluxWriteOptions {
  /** Points in all. */
  points: number;
  /** Points per `writePoints` call. */
  batchPoints: number;
  /** `writePoints` calls in flight at once. */
  inFlight: number;
  /** Series the points are spread over (tag `host`). */
  series: number;
}

/** Point i: one of `series` hosts, a millisecond time, a random-walk-like value with 2 decimals. */
export function benchPoint(i: number, series: number): IPoint {
  return {
    measurement: 'sensor',
    tags: { host: `h${i % series}`, site: 'bench' },
    fields: { value: Math.round(((i * 7919) % 100_003) - 50_000) / 100 },
    timestamp: 1_600_000_000_000 + Math.floor(i / series) * 1000,
  };
}

/**
 * Writes `points` through node-influx `writePoints` (precision ms), `inFlight` calls at a time.
 *
 * @returns Acknowledged points per second (first call made → last call answered).
 */
export async function measureNodeInfluxWrites(target: InfluxTarget, o: NodeInfluxWriteOptions): Promise<number> {
  const influx = new InfluxDB({
    host: target.host,
    port: target.port,
    database: target.database,
    ...(target.username === undefined ? {} : { username: target.username, password: target.password ?? '' }),
  });
  await influx.createDatabase(target.database);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: o.inFlight }, async () => {
      while (next < o.points) {
        const from = next;
        next += o.batchPoints;
        const batch: IPoint[] = [];
        for (let i = from; i < Math.min(o.points, from + o.batchPoints); i++) batch.push(benchPoint(i, o.series));
        await influx.writePoints(batch, { precision: 'ms' });
      }
    }),
  );
  return o.points / ((performance.now() - start) / 1000);
}

/** One line-protocol body of `points` lines over `series` series, nanosecond timestamps. */
export function rawLineProtocol(points: number, series: number): Buffer {
  const lines: string[] = new Array<string>(points);
  for (let i = 0; i < points; i++) {
    const p = benchPoint(i, series);
    lines[i] = `sensor,host=${p.tags!.host},site=bench value=${String(p.fields!.value)} ${String(p.timestamp)}000000`;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/**
 * POSTs one line-protocol body to `url` (a full `/write?…` URL).
 *
 * @returns Points per second (request sent → 204 received).
 */
export async function measureRawPost(url: string, authorization: string, body: Buffer, points: number): Promise<number> {
  const start = performance.now();
  const r = await fetch(url, { method: 'POST', headers: { authorization }, body: new Uint8Array(body.buffer, body.byteOffset, body.length) as Uint8Array<ArrayBuffer> });
  if (r.status !== 204) throw new Error(`raw line protocol POST: ${r.status} ${await r.text()}`);
  return points / ((performance.now() - start) / 1000);
}
