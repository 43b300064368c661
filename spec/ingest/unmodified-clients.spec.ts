// Done-when of issue 13, "Unmodified clients": node-influx 5.12 (`writePoints`, batches of 5,000,
// 4 in flight) and @influxdata/influxdb-client 1.35 (`WriteApi`, batchSize 5,000, gzip as it
// sends it) each write 1 M points into our server, and our client's values() reads back exactly
// those points, times and values. Runs on the store TIMETRIC_TEST_STORE names.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InfluxDB as InfluxV2, Point as V2Point } from '@influxdata/influxdb-client';
import { InfluxDB as InfluxV1, type IPoint } from 'influx';
import { TimetricClient } from '../../src/index.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const POINTS = Number(process.env.H2_POINTS ?? 1_000_000);
const BATCH = 5_000;
const IN_FLIGHT = 4;
const HOSTS = 2;

let t: TestServer;
let alice: TestUser;
let client: TimetricClient;
before(async () => {
  t = await startServer();
  alice = await t.user('clients-alice');
  client = new TimetricClient({ authtype: 'apitoken', apitoken_key: alice.key, apitoken_secret: alice.secret }, { baseUrl: t.url });
});
after(() => t.close());

/** Point i: host h(i mod 2), a millisecond time with a fraction, a value with a binary fraction. */
const msOf = (i: number): number => 1_600_000_000_000 + i * 37;
const valueOf = (i: number): number => ((i * 7919) % 100_003) / 16 - 3000;
/** What the server should store: the ms time as decimal seconds, read as the nearest double. */
const secondsOf = (i: number): number => Number((msOf(i) / 1000).toFixed(3));

async function seriesId(measurement: string, host: number): Promise<string> {
  const r = await fetch(`${t.url}/search/results.thin.json?q=${encodeURIComponent(`${measurement} host=h${host}`)}`, { headers: { authorization: alice.basic } });
  const list = (await r.json()) as { id: string; caption: string }[];
  assert.equal(list.length, 1, `${measurement} host=h${host}: one series`);
  assert.equal(list[0]!.caption, 'value');
  return list[0]!.id;
}

/** Reads every series back through values() and compares each point with what was written. */
async function readBack(measurement: string): Promise<void> {
  for (let host = 0; host < HOSTS; host++) {
    const id = await seriesId(measurement, host);
    let k = 0;
    await new Promise<void>((resolve, reject) => {
      client
        .series(id)
        .values()
        .subscribe({
          next: ([time, value]) => {
            const i = k++ * HOSTS + host;
            if (time !== secondsOf(i) || value !== valueOf(i)) reject(new Error(`${measurement} h${host} point ${k}: read ${time},${String(value)}, wrote ${secondsOf(i)},${valueOf(i)}`));
          },
          error: reject,
          complete: resolve,
        });
    });
    assert.equal(k, POINTS / HOSTS, `${measurement} h${host}: every point, once`);
  }
}

/** Runs `send(from)` for each batch start, `IN_FLIGHT` at a time. */
async function inBatches(send: (from: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < POINTS) {
      const from = next;
      next += BATCH;
      await send(from);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

describe('unmodified InfluxDB clients', () => {
  it('node-influx 5.12 writePoints: 1 M points in batches of 5,000, 4 in flight, read back exactly', async () => {
    const url = new URL(t.url);
    const influx = new InfluxV1({ host: url.hostname, port: Number(url.port), database: 'nodeinflux', username: alice.key, password: alice.secret });
    assert.ok((await influx.ping(5000))[0]?.online, 'ping');
    await influx.createDatabase('nodeinflux');
    await inBatches(async (from) => {
      const points: IPoint[] = [];
      for (let i = from; i < from + BATCH; i++) points.push({ measurement: 'ni_sensor', tags: { host: `h${i % HOSTS}` }, fields: { value: valueOf(i) }, timestamp: msOf(i) });
      await influx.writePoints(points, { precision: 'ms' });
    });
    assert.deepEqual(await influx.getDatabaseNames(), ['nodeinflux']);
    await readBack('ni_sensor');
  });

  it('@influxdata/influxdb-client 1.35 WriteApi: 1 M points, batchSize 5,000, gzip, read back exactly', async () => {
    // The API sends each batch as it fills and does not wait for those sends in flush()/close():
    // its writeSuccess and writeFailed callbacks say when the server acknowledged them.
    let acknowledged = 0;
    let failure: Error | undefined;
    let wake = (): void => undefined;
    const writeApi = new InfluxV2({ url: t.url, token: `${alice.key}:${alice.secret}` }).getWriteApi('any-org', 'v2bucket', 'ms', {
      batchSize: BATCH,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: 2 * IN_FLIGHT * BATCH,
      writeSuccess: (lines: string[]) => {
        acknowledged += lines.length;
        wake();
      },
      writeFailed: (error: Error) => {
        failure = error;
        wake();
      },
    });
    const acknowledgedUpTo = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => (acknowledged >= n || failure ? resolve() : void (wake = check));
        check();
      });
    // IN_FLIGHT batches are handed over at once (each is sent as it fills), then acknowledged.
    for (let from = 0; from < POINTS; from += IN_FLIGHT * BATCH) {
      for (let i = from; i < from + IN_FLIGHT * BATCH; i++) {
        writeApi.writePoint(new V2Point('v2_sensor').tag('host', `h${i % HOSTS}`).floatField('value', valueOf(i)).timestamp(msOf(i)));
      }
      await acknowledgedUpTo(from + IN_FLIGHT * BATCH);
      if (failure) throw failure;
    }
    await writeApi.close();
    assert.equal(acknowledged, POINTS);
    await readBack('v2_sensor');
  });
});
