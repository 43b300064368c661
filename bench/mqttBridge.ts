// The MQTT bridge end to end (issue #13's third target): messages published with QoS 1 to a real
// Mosquitto, taken by the bridge (runBridge, as `timetric bridge` runs it) and written through
// writeTo to our server in its own process, until the server has acknowledged every one.
// Floor 20,000 messages/s, goal 50,000. Standalone: `tsx bench/mqttBridge.ts [MESSAGES]`.
import { execSync } from 'node:child_process';
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
  /** Messages from the first publish to the server's acknowledgement of the last, per second. */
  messagesPerSecond: number;
  messages: number;
  /** Wall time of that, ms. */
  elapsedMs: number;
  /** Topics (series) the messages went to. */
  topics: number;
  /** The bridge's final counts. */
  stats: BridgeStats;
  /** `uptime`'s load averages when it finished. */
  loadAverage: string;
}

const FLOOR = 20_000;
const GOAL = 50_000;

/**
 * Publishes `messages` QoS 1 messages ("time,value" lines, over `topics` topics, at most 2,000
 * unacknowledged by the broker at a time) while a bridge writes them into a server on SQLite;
 * resolves once the server acknowledged all of them.
 */
export async function measureMqttBridge(options: { messages: number; topics?: number }): Promise<MqttBridgeFigures> {
  const topics = options.topics ?? 4;
  const dir = mkdtempSync(join(tmpdir(), 'timetric-bench-mqtt-'));
  const server = await startStorageServer(process.cwd(), join(dir, 'bench.db'));
  const broker = await startMosquitto();
  const stop = new AbortController();
  try {
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: server.key, apitoken_secret: server.secret }, { baseUrl: server.url });
    let written = 0;
    let allWritten!: () => void;
    const done = new Promise<void>((resolve) => (allWritten = resolve));
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const bridge = runBridge({
      client,
      mqttUrl: broker.url,
      topics: ['bench/#'],
      clientId: 'bench-bridge',
      log: (line) => {
        if (line.includes('connected to')) connected();
        else process.stderr.write(line);
      },
      signal: stop.signal,
      progress: (s) => {
        written = s.written;
        if (written >= options.messages) allWritten();
      },
    });
    await ready;
    // Create the series first, so the figure is the steady state, not series creation.
    const publisher = await mqtt.connectAsync(broker.url, { clientId: 'bench-publisher' });
    for (let t = 0; t < topics; t++) await publisher.publishAsync(`bench/${t}`, '0,0', { qos: 1 });
    await new Promise<void>((resolve) => {
      const check = (): void => (written >= topics ? resolve() : void setTimeout(check, 20));
      check();
    });
    const base = written;
    const target = base + options.messages;
    options = { ...options, messages: target };
    const started = performance.now();
    let sent = 0;
    await new Promise<void>((resolve, reject) => {
      let inflight = 0;
      const pump = (): void => {
        while (inflight < 2_000 && sent < options.messages - base) {
          const i = sent++;
          inflight++;
          publisher.publish(`bench/${i % topics}`, `${1_700_000_000 + i},${i % 1000}`, { qos: 1 }, (err) => {
            inflight--;
            if (err) return reject(err);
            if (sent < options.messages - base) pump();
            else if (inflight === 0) resolve();
          });
        }
      };
      pump();
    });
    await done;
    const elapsedMs = performance.now() - started;
    await publisher.endAsync();
    stop.abort();
    const stats = await bridge;
    const messages = target - base;
    return { messagesPerSecond: messages / (elapsedMs / 1000), messages, elapsedMs, topics, stats, loadAverage: execSync('uptime').toString().trim().replace(/^.*load average: /, '') };
  } finally {
    stop.abort();
    await broker.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const messages = Number(process.argv[2] ?? 200_000);
  const runs: MqttBridgeFigures[] = [];
  for (let i = 0; i < 3; i++) runs.push(await measureMqttBridge({ messages }));
  const rates = runs.map((r) => r.messagesPerSecond).sort((a, b) => a - b);
  const median = rates[1]!;
  console.log(`MQTT bridge, ${messages.toLocaleString('en-US')} QoS 1 messages over ${runs[0]!.topics} topics, published → acknowledged by the server (SQLite)`);
  console.log(`  runs: ${rates.map((r) => Math.round(r).toLocaleString('en-US')).join(', ')} messages/s`);
  console.log(`  median ${Math.round(median).toLocaleString('en-US')} messages/s (floor ${FLOOR.toLocaleString('en-US')}, goal ${GOAL.toLocaleString('en-US')}): ${median >= GOAL ? 'goal met' : median >= FLOOR ? 'floor met' : 'BELOW FLOOR'}`);
  console.log(`  load average ${runs.at(-1)!.loadAverage}`);
}
