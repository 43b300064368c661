// The MQTT bridge end to end (issue #13's third target): messages published with QoS 1 to a real
// Mosquitto, taken by the bridge (runBridge, as `timetric bridge` runs it) and written through
// writeTo to our server in its own process, until the server has acknowledged every one; and the
// same from a backlog the broker queued while the bridge was away.
// Floor 20,000 messages/s, goal 50,000. Standalone: `tsx bench/mqttBridge.ts [MESSAGES]`.
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import mqtt from 'mqtt';
import { TimetricClient } from '../src/index.js';
import { runBridge, type BridgeStats } from '../src/cli/bridge/runBridge.js';
import { startMosquitto } from '../spec/bridge/startMosquitto.js';
import { startStorageServer } from './startStorageServer.js';

/** What {@link measureMqttBridge} reports. */
export interface MqttBridgeFigures {
  /** Messages from the first publish to the server's acknowledgement of the last, per second (publishers and bridge at once). */
  messagesPerSecond: number;
  /** The same publishers into a plain mqtt.js subscriber that acknowledges on arrival and writes nothing: what broker and publishers allow here. */
  brokerOnlyMessagesPerSecond: number;
  /** Messages a second the bridge takes from a backlog the broker holds (published while it was away) to the server's acknowledgement. */
  backlogMessagesPerSecond: number;
  messages: number;
  /** Wall time of the live figure, ms. */
  elapsedMs: number;
  /** Topics (series) the messages went to, one publisher process each. */
  topics: number;
  /** The bridge's final counts of the live run. */
  stats: BridgeStats;
  /** `uptime`'s load averages when it finished. */
  loadAverage: string;
}

const FLOOR = 20_000;
const GOAL = 50_000;

/** Publishes `lines` on `topic` with mosquitto_pub (QoS 1, one message a line, 1,000 in flight); resolves when the broker has them all. */
function mosquittoPub(port: number, topic: string, lines: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-q', '1', '-l', '-M', '1000'], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`mosquitto_pub exited with ${code}`))));
    child.stdin.end(lines);
  });
}

/**
 * Three figures for the bridge on a server on SQLite in its own process and a real Mosquitto:
 * `messagesPerSecond`, `messages` QoS 1 messages ("time,value" lines) published by one
 * `mosquitto_pub` process per topic while the bridge runs, from the first publish until the server
 * acknowledged the last; `backlogMessagesPerSecond`, the same number published while the bridge
 * is away and then taken from the broker's queue; and, for scale, `brokerOnlyMessagesPerSecond`,
 * the same publishing into a subscriber that writes nothing.
 */
export async function measureMqttBridge(options: { messages: number; topics?: number }): Promise<MqttBridgeFigures> {
  const topics = options.topics ?? 4;
  const dir = mkdtempSync(join(tmpdir(), 'timetric-bench-mqtt-'));
  const server = await startStorageServer(process.cwd(), join(dir, 'bench.db'));
  const broker = await startMosquitto();
  const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: server.key, apitoken_secret: server.secret }, { baseUrl: server.url });
  const perTopic = Math.ceil(options.messages / topics);
  const messages = perTopic * topics;
  let round = 0;
  const linesFor = (t: number): string => Array.from({ length: perTopic }, (_, i) => `${1_700_000_000 + round * 1e6 + i},${(i * 7 + t) % 1000}`).join('\n') + '\n';
  const publishAll = (): Promise<void> => Promise.all(Array.from({ length: topics }, (_, t) => mosquittoPub(broker.port, `bench/${t}`, linesFor(t)))).then(() => undefined);

  /** Runs a bridge until `target` messages are written; `during` runs once it is connected. */
  const bridgeUntil = async (target: number, during: () => Promise<void>): Promise<{ connectedAt: number; doneAt: number; stats: BridgeStats }> => {
    const stop = new AbortController();
    let allWritten!: () => void;
    const done = new Promise<void>((resolve) => (allWritten = resolve));
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    let started = 0;
    const bridge = runBridge({
      client,
      mqttUrl: broker.url,
      topics: ['bench/#'],
      clientId: 'bench-bridge',
      log: (line) => {
        if (line.includes('connected to')) {
          started = performance.now();
          connected();
        } else process.stderr.write(line);
      },
      signal: stop.signal,
      progress: (s) => s.written >= target && allWritten(),
    });
    await ready;
    await during();
    await done;
    const doneAt = performance.now();
    stop.abort();
    return { connectedAt: started, doneAt, stats: await bridge };
  };

  try {
    // Warm-up: the session, the subscription and the series exist before anything is timed.
    await bridgeUntil(topics, () => Promise.all(Array.from({ length: topics }, (_, t) => mosquittoPub(broker.port, `bench/${t}`, '1,0\n'))).then(() => undefined));
    round++;
    let t0 = 0;
    const live = await bridgeUntil(messages, async () => {
      t0 = performance.now();
      await publishAll();
    });
    const elapsedMs = live.doneAt - t0;
    round++;
    // The same publishing into a subscriber that writes nothing, for scale.
    const plain = await mqtt.connectAsync(broker.url, { clientId: 'bench-plain', protocolVersion: 5, properties: { receiveMaximum: 65_535 } });
    let received = 0;
    let allReceived!: () => void;
    const receivedAll = new Promise<void>((resolve) => (allReceived = resolve));
    plain.on('message', () => ++received === messages && allReceived());
    await plain.subscribeAsync('bench/#', { qos: 1 });
    const p0 = performance.now();
    await publishAll();
    await receivedAll;
    const brokerOnlyMs = performance.now() - p0;
    await plain.endAsync();
    round++;
    await publishAll(); // the backlog: no bridge connected, the broker queues it for the session
    const backlog = await bridgeUntil(messages, () => Promise.resolve());
    return {
      messagesPerSecond: messages / (elapsedMs / 1000),
      backlogMessagesPerSecond: messages / ((backlog.doneAt - backlog.connectedAt) / 1000),
      brokerOnlyMessagesPerSecond: messages / (brokerOnlyMs / 1000),
      messages,
      elapsedMs,
      topics,
      stats: live.stats,
      loadAverage: execSync('uptime').toString().trim().replace(/^.*load average: /, ''),
    };
  } finally {
    await broker.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const messages = Number(process.argv[2] ?? 200_000);
  const runs: MqttBridgeFigures[] = [];
  for (let i = 0; i < 3; i++) runs.push(await measureMqttBridge({ messages }));
  const median = (pick: (r: MqttBridgeFigures) => number): number => runs.map(pick).sort((a, b) => a - b)[1]!;
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  const live = median((r) => r.messagesPerSecond);
  console.log(`MQTT bridge, ${n(runs[0]!.messages)} QoS 1 messages over ${runs[0]!.topics} topics (one mosquitto_pub each) → Mosquitto → bridge → server on SQLite, median of 3`);
  console.log(`  published → acknowledged by the server: ${n(live)} messages/s (runs ${runs.map((r) => n(r.messagesPerSecond)).join(', ')}; floor ${n(FLOOR)}, goal ${n(GOAL)}: ${live >= GOAL ? 'goal met' : live >= FLOOR ? 'floor met' : 'below the floor'})`);
  console.log(`  a backlog the broker held → acknowledged: ${n(median((r) => r.backlogMessagesPerSecond))} messages/s (runs ${runs.map((r) => n(r.backlogMessagesPerSecond)).join(', ')})`);
  console.log(`  the same publishers into a subscriber that writes nothing: ${n(median((r) => r.brokerOnlyMessagesPerSecond))} messages/s (runs ${runs.map((r) => n(r.brokerOnlyMessagesPerSecond)).join(', ')})`);
  console.log(`  load average ${runs.at(-1)!.loadAverage}`);
}
