// Issue #13's "Publishers" check: `mosquitto_pub` and an mqtt.js publisher send 100,000 QoS 1
// messages through a real Mosquitto while `timetric bridge` (the CLI as a child process) is killed
// with SIGKILL and restarted twice; afterwards every message is in its series exactly once, and the
// last bridge stops on SIGTERM with its counts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { lastValueFrom, toArray } from 'rxjs';
import { TimetricClient, type Point } from '../../src/index.js';
import { bundleCli, ROOT } from '../helpers/cliRunner.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';
import { startMosquitto, type TestBroker } from './startMosquitto.js';

const PER_PUBLISHER = 50_000;
const T0 = 1_764_000_000;
const SENTINEL = 2_000_000_000;

let t: TestServer;
let user: TestUser;
let broker: TestBroker;
let cli: { main: string; remove: () => void };
const bridges: ChildProcess[] = [];

before(async () => {
  [t, broker, cli] = await Promise.all([startServer(), startMosquitto(), bundleCli('bridge-kill')]);
  user = await t.user('bridge-kill');
});
after(async () => {
  for (const b of bridges) if (b.exitCode === null && b.signalCode === null) b.kill('SIGKILL');
  cli.remove();
  await broker.stop();
  await t.close();
});

interface Bridge {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
}

/**
 * Starts `timetric bridge` and resolves once it is connected and subscribed; the first two take
 * broker, topic and client id as flags, the third from TIMETRIC_MQTT_URL, TIMETRIC_MQTT_TOPIC and
 * TIMETRIC_MQTT_CLIENT_ID.
 */
async function startBridge(): Promise<Bridge> {
  const fromEnv = bridges.length === 2;
  const mqttArgs = fromEnv ? [] : ['--mqtt', broker.url, '--topic', 'kill/#', '--client-id', 'kill-spec-bridge'];
  const mqttEnv = fromEnv ? { TIMETRIC_MQTT_URL: broker.url, TIMETRIC_MQTT_TOPIC: 'kill/#', TIMETRIC_MQTT_CLIENT_ID: 'kill-spec-bridge' } : {};
  const child = spawn(process.execPath, [cli.main, 'bridge', ...mqttArgs, '--window-ms', '50', '--url', t.url, '--verbose'], {
    cwd: ROOT,
    env: { ...process.env, ...mqttEnv, TIMETRIC_KEY: user.key, TIMETRIC_SECRET: user.secret, TIMETRIC_DEBUG: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  bridges.push(child);
  const b: Bridge = { child, stdout: '', stderr: '', exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
  child.stdout.on('data', (d: Buffer) => (b.stdout += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      b.stderr += d.toString();
      if (b.stderr.includes('connected to')) resolve();
    });
    void b.exited.then((code) => reject(new Error(`bridge exited (${code}) before connecting: ${b.stderr}`)));
  });
  return b;
}

/** The series titled `title`, once the bridge has created it (checked every 100 ms). */
async function seriesByTitle(c: TimetricClient, title: string): Promise<string> {
  for (;;) {
    const found = (await lastValueFrom(c.search({ q: title }).pipe(toArray()))).filter((s) => s.title === title);
    assert.ok(found.length <= 1, `one series titled ${title}: ${JSON.stringify(found)}`);
    if (found[0]) return found[0].id;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('timetric bridge, killed twice while 100,000 messages arrive', () => {
  it('has every message in its series exactly once', { timeout: 115_000 }, async () => {
    let bridge = await startBridge();
    const kills: number[] = [];

    // mosquitto_pub: one message a line, "time,value" (T0 + i, i).
    const lines = Array.from({ length: PER_PUBLISHER }, (_, i) => `${T0 + i},${i}`).join('\n') + '\n';
    const moPub = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker.port), '-t', 'kill/mosquitto_pub', '-q', '1', '-l', '-M', '1000', '-i', 'kill-spec-mosquitto-pub'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let moPubErr = '';
    moPub.stderr.on('data', (d: Buffer) => (moPubErr += d.toString()));
    const moPubDone = new Promise<number | null>((resolve) => moPub.once('exit', (code) => resolve(code)));
    moPub.stdin.end(lines);

    // mqtt.js: JSON {"value": i, "time": T0 + i}, at most 500 unacknowledged; the bridge is killed
    // and restarted (awaited, so publishing goes on while it is away) at 1/3 and 2/3 of them.
    const js = await mqtt.connectAsync(broker.url, { clientId: 'kill-spec-mqttjs' });
    await new Promise<void>((resolve, reject) => {
      let sent = 0;
      let acked = 0;
      let restarting = false;
      const pump = (): void => {
        while (sent - acked < 500 && sent < PER_PUBLISHER) {
          const i = sent++;
          js.publish('kill/mqttjs', JSON.stringify({ value: i, time: T0 + i }), { qos: 1 }, (err) => {
            if (err) return reject(err);
            acked++;
            if (!restarting && kills.length < 2 && acked >= ((kills.length + 1) * PER_PUBLISHER) / 3) {
              restarting = true;
              kills.push(acked);
              bridge.child.kill('SIGKILL');
              void bridge.exited
                .then(() => startBridge())
                .then((next) => {
                  bridge = next;
                  restarting = false;
                }, reject);
            }
            if (acked === PER_PUBLISHER) resolve();
            else pump();
          });
        }
      };
      pump();
    });
    assert.equal(await moPubDone, 0, `mosquitto_pub: ${moPubErr}`);
    while (kills.length < 2 || bridges.length < 3) await new Promise((r) => setImmediate(r));
    assert.equal(bridges.length, 3);

    // A last message on each topic: once it is stored, everything before it on that topic is (one series is written in order).
    for (const topic of ['kill/mosquitto_pub', 'kill/mqttjs']) await js.publishAsync(topic, `${SENTINEL},-1`, { qos: 1 });
    await js.endAsync();
    const c = new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl: t.url });
    const ids = { moPub: await seriesByTitle(c, 'kill/mosquitto_pub'), js: await seriesByTitle(c, 'kill/mqttjs') };
    for (const id of Object.values(ids)) {
      while ((await lastValueFrom(c.series(id).latest()))?.[0] !== SENTINEL) await new Promise((r) => setTimeout(r, 100));
    }

    const expected: Point[] = Array.from({ length: PER_PUBLISHER }, (_, i): Point => [T0 + i, i]);
    expected.push([SENTINEL, -1]);
    for (const id of Object.values(ids)) {
      const points = await lastValueFrom(c.series(id).values$.pipe(toArray()));
      assert.equal(points.length, PER_PUBLISHER + 1);
      assert.deepEqual(points, expected);
    }

    bridge.child.kill('SIGTERM');
    assert.equal(await bridge.exited, 0, bridge.stderr);
    assert.match(bridge.stdout, /^timetric bridge: stopped: [\d,]+ received, [\d,]+ written, 0 bad, 0 refused, .* 0 left unacknowledged/m);
    assert.match(bridge.stderr, /connected to .* as kill-spec-bridge \(session resumed\)/, 'the third bridge, configured by its environment, resumed the session');
  });
});
