// Ingest benchmark (issue 13), all figures in one run, each the median of 3 after an untimed
// warm-up write to each target (runs alternate between the targets, so load arriving mid-run hits
// both alike), with the load average:
//   1. node-influx 5.12 writePoints, 2 M points in batches of 5,000, 4 in flight, against our
//      server (its own process, SQLite file store) and against InfluxDB 1.6 (influxd started here
//      on spare ports, see bench/influxPeer.ts): points/s and the ratio (floor ≥ 1×, goal ≥ 1.3×),
//      and beside it each server's CPU time a point (process.cpuUsage of ours, /proc/PID/stat of
//      influxd, all threads), which a loaded machine changes far less than the wall-time rates;
//   2. one raw line-protocol POST of 1 M points to our /write (floor 0.6 M points/s, goal 1 M/s);
//   3. the MQTT bridge end to end, from bench/mqttBridge.ts when it exists (floor 20,000 msg/s).
// Sizes: BENCH_INGEST_POINTS (2,000,000), BENCH_RAW_POINTS (1,000,000), BENCH_MQTT_MESSAGES (100,000).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measureNodeInfluxWrites, measureRawPost, rawLineProtocol } from './influxWrites.js';
import { InfluxProcess } from './influxPeer.js';
import { startStorageServer } from './startStorageServer.js';

const POINTS = Number(process.env.BENCH_INGEST_POINTS ?? 2_000_000);
const RAW_POINTS = Number(process.env.BENCH_RAW_POINTS ?? 1_000_000);
const MQTT_MESSAGES = Number(process.env.BENCH_MQTT_MESSAGES ?? 100_000);
const RUNS = 3;
const WRITES = { points: POINTS, batchPoints: 5_000, inFlight: 4, series: 10 };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (x: number): string => Math.round(x).toLocaleString('en-US');
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'timetric-bench-ingest-'));
const ours = await startStorageServer(resolve('.'), join(dir, 'ingest.db'));
const influx = await InfluxProcess.start();
const rows: string[][] = [];
try {
  const oursUrl = new URL(ours.url);
  const peerUrl = new URL(influx.url);
  const mine: number[] = [];
  const theirs: number[] = [];
  const mineCpu: number[] = [];
  const theirsCpu: number[] = [];
  const ourCpu = async (): Promise<number> => {
    const c = await ours.control('cpu');
    return Number(c.user) + Number(c.system);
  };
  console.log(`load average before: ${load()}`);
  // One untimed warm-up write to each target first: a server that has run a while has its parser
  // and encoder compiled by the optimizing JIT, and influxd its caches and files made.
  const warm = { ...WRITES, points: Math.min(POINTS, 500_000) };
  await measureNodeInfluxWrites({ host: oursUrl.hostname, port: Number(oursUrl.port), database: 'warmup', username: ours.key, password: ours.secret }, warm);
  await measureNodeInfluxWrites({ host: peerUrl.hostname, port: Number(peerUrl.port), database: 'warmup' }, warm);
  await influx.query('DROP DATABASE warmup');
  for (let run = 0; run < RUNS; run++) {
    const c0 = await ourCpu();
    mine.push(
      await measureNodeInfluxWrites(
        { host: oursUrl.hostname, port: Number(oursUrl.port), database: `bench${run}`, username: ours.key, password: ours.secret },
        WRITES,
      ),
    );
    mineCpu.push((await ourCpu()) - c0);
    const i0 = influx.cpuMicros();
    theirs.push(await measureNodeInfluxWrites({ host: peerUrl.hostname, port: Number(peerUrl.port), database: `bench${run}` }, WRITES));
    theirsCpu.push(influx.cpuMicros() - i0);
    await influx.query(`DROP DATABASE bench${run}`);
    console.log(
      `  run ${run + 1}: timetric ${rate(mine[run]!)}, influxd ${rate(theirs[run]!)} points/s; server CPU ${(mineCpu[run]! / POINTS).toFixed(2)} vs ${(theirsCpu[run]! / POINTS).toFixed(2)} µs a point (load ${load()})`,
    );
  }
  const ratio = median(mine) / median(theirs);
  rows.push([
    `node-influx writePoints, ${rate(POINTS)} points, batches of 5,000, 4 in flight`,
    `${rate(median(mine))} points/s vs InfluxDB 1.6 ${rate(median(theirs))}: ${ratio.toFixed(2)}×`,
    '≥ 1× (goal 1.3×)',
    ratio >= 1.3 ? 'goal' : ratio >= 1 ? 'floor' : 'BELOW FLOOR',
  ]);
  const cpuRatio = median(theirsCpu) / median(mineCpu);
  rows.push([
    'the same writes, server CPU time a point (all threads)',
    `${(median(mineCpu) / POINTS).toFixed(2)} µs vs InfluxDB 1.6 ${(median(theirsCpu) / POINTS).toFixed(2)} µs: InfluxDB uses ${cpuRatio.toFixed(2)}× as much`,
    '-',
    '-',
  ]);

  const body = rawLineProtocol(RAW_POINTS, 10);
  const raw: number[] = [];
  await measureRawPost(`${ours.url}/write?db=rawwarmup&precision=ns`, `Token ${ours.key}:${ours.secret}`, body, RAW_POINTS); // untimed warm-up
  for (let run = 0; run < RUNS; run++) {
    raw.push(await measureRawPost(`${ours.url}/write?db=raw${run}&precision=ns`, `Token ${ours.key}:${ours.secret}`, body, RAW_POINTS));
    console.log(`  raw run ${run + 1}: ${rate(raw[run]!)} points/s (${(body.length / 1e6).toFixed(1)} MB, load ${load()})`);
  }
  const rawRate = median(raw);
  rows.push([
    `raw line protocol POST, ${rate(RAW_POINTS)} points`,
    `${rate(rawRate)} points/s`,
    '≥ 600,000 (goal 1 M)',
    rawRate >= 1e6 ? 'goal' : rawRate >= 6e5 ? 'floor' : 'BELOW FLOOR',
  ]);
} finally {
  await ours.stop();
  await influx.stop();
  rmSync(dir, { recursive: true, force: true });
}

// The MQTT bridge's figure comes from its own module (issue 13, part 5).
const bridge = resolve('bench/mqttBridge.ts');
if (existsSync(bridge)) {
  const { measureMqttBridge } = (await import(pathToFileURL(bridge).href)) as {
    measureMqttBridge: (options: { messages: number }) => Promise<{ messagesPerSecond: number }>;
  };
  const m = await measureMqttBridge({ messages: MQTT_MESSAGES });
  rows.push([
    `MQTT bridge end to end, ${rate(MQTT_MESSAGES)} QoS 1 messages`,
    `${rate(m.messagesPerSecond)} messages/s`,
    '≥ 20,000 (goal 50,000)',
    m.messagesPerSecond >= 50_000 ? 'goal' : m.messagesPerSecond >= 20_000 ? 'floor' : 'BELOW FLOOR',
  ]);
} else {
  rows.push(['MQTT bridge end to end', 'not measured: bench/mqttBridge.ts is missing', '≥ 20,000 (goal 50,000)', '-']);
}

console.log(`\nIngest (median of ${RUNS}; load average now ${load()}, ${process.env.BENCH_NOTE ?? '2 cores shared by client and server'})`);
console.log('| figure | measured | target | reached |\n|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
