// The bridge in-process against a real Mosquitto and our server on port 0: payload forms into one
// series per topic, bad payloads counted and logged, PUBACK only after the server acknowledged the
// batch, a dropped broker connection and a broker restart lose and double nothing (a bare value
// redelivered to the same bridge keeps its stamp), writes retried while the server is unreachable,
// the map file, and a refused token stopping the bridge.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt, { type MqttClient } from 'mqtt';
import { asapScheduler, lastValueFrom, toArray, type SchedulerAction, type SchedulerLike } from 'rxjs';
import { createServer } from 'node:net';
import { AuthenticationError, TimetricClient, type Point } from '../../src/index.js';
import { MAX_BRIDGE_TOPIC_CHARS, runBridge, type BridgeOptions, type BridgeStats } from '../../src/cli/bridge/runBridge.js';
import { parseTopicMap } from '../../src/cli/bridge/parseTopicMap.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';
import { startMosquitto, type TestBroker } from './startMosquitto.js';

let t: TestServer;
let user: TestUser;
let broker: TestBroker;
let publisher: MqttClient;
let ids = 0;

before(async () => {
  [t, broker] = await Promise.all([startServer(), startMosquitto()]);
  user = await t.user('bridge-user');
  publisher = await mqtt.connectAsync(broker.url, { clientId: 'spec-publisher', reconnectPeriod: 100 });
});
after(async () => {
  await publisher.endAsync(true);
  await broker.stop();
  await t.close();
});

const client = (fetchImpl?: typeof fetch, secret = user.secret) =>
  new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: secret }, { baseUrl: t.url, ...(fetchImpl ? { fetch: fetchImpl } : {}) });

interface Running {
  stats: BridgeStats;
  log: string[];
  mqtt: MqttClient;
  /** PUBLISH packets the bridge received. */
  delivered: number;
  /** Resolves once `test` holds for the counts. */
  until(test: (s: BridgeStats) => boolean): Promise<BridgeStats>;
  stop(): Promise<BridgeStats>;
  done: Promise<BridgeStats>;
}

/** Starts a bridge on `prefix/#` and waits for its subscription. */
async function start(prefix: string, options: Partial<BridgeOptions> = {}): Promise<Running> {
  const log: string[] = [];
  const abort = new AbortController();
  const waiters: { test: (s: BridgeStats) => boolean; resolve: (s: BridgeStats) => void }[] = [];
  let mq!: MqttClient;
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const running: Running = {
    stats: undefined as unknown as BridgeStats,
    log,
    delivered: 0,
    get mqtt() {
      return mq;
    },
    until: (test) => (running.stats && test(running.stats) ? Promise.resolve(running.stats) : new Promise((resolve) => waiters.push({ test, resolve }))),
    stop: () => (abort.abort(), running.done),
    done: runBridge({
      client: client(),
      mqttUrl: broker.url,
      topics: [`${prefix}/#`],
      clientId: `spec-bridge-${++ids}`,
      windowMs: 20,
      log: (line) => log.push(line),
      signal: abort.signal,
      progress: (s) => {
        running.stats = s;
        for (const w of [...waiters]) {
          if (!w.test(s)) continue;
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(s);
        }
      },
      onMqttClient: (c) => {
        mq = c;
        c.on('packetreceive', (p) => {
          if (p.cmd === 'suback') subscribed();
          if (p.cmd === 'publish') running.delivered++;
        });
      },
      ...options,
    }),
  };
  await Promise.race([ready, running.done]);
  return running;
}

async function seriesByTitle(title: string): Promise<Point[]> {
  const c = client();
  const found = (await lastValueFrom(c.search({ q: title }).pipe(toArray()))).filter((s) => s.title === title);
  assert.equal(found.length, 1, `one series titled ${title}`);
  return lastValueFrom(c.series(found[0]!.id).values$.pipe(toArray()));
}

const urlOf = (input: Parameters<typeof fetch>[0]): string => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
/** Resolves once `test` holds, checked on every packet the bridge's MQTT client receives or sends and on each turn. */
async function waitFor(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setImmediate(r));
}

const publish = (topic: string, payload: string) => publisher.publishAsync(topic, payload, { qos: 1 });

describe('runBridge', () => {
  it('writes each payload form into the series of its topic; bad payloads are counted and logged, never fatal', async () => {
    const b = await start('forms', { now: () => 1_800_000_000_000 });
    await publish('forms/a', '1764000000,1');
    await publish('forms/a', '{"value": 2, "time": "2025-11-24T16:00:01Z"}');
    await publish('forms/b', 'not a number');
    await publish('forms/a', '3');
    await publish('forms/a', '4');
    await publish('forms/b', '{"value": 5}');
    await publish('forms/b', '');
    await b.until((s) => s.written === 5 && s.bad === 2);
    const stats = await b.stop();
    assert.equal(stats.received, 7);
    assert.equal(stats.acknowledged, 7);
    assert.equal(stats.pending, 0);
    assert.equal(stats.seriesCreated, 2);
    assert.deepEqual(await seriesByTitle('forms/a'), [
      [1764000000, 1],
      [1764000001, 2],
      [1800000000, 3],
      [1800000000.0000002, 4], // two bare values in one millisecond stay two points
    ]);
    assert.deepEqual(await seriesByTitle('forms/b'), [[1800000000, 5]]);
    const bad = b.log.filter((l) => l.includes('bad payload'));
    assert.equal(bad.length, 2);
    assert.match(bad[0]!, /^timetric bridge: bad payload on "forms\/b": invalid value "not a number".*: "not a number"\n$/);
    assert.match(bad[1]!, /"forms\/b": empty payload/);
  });

  it('sends a PUBACK only after the server acknowledged the batch holding the message', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    const holding: typeof fetch = async (input, init) => {
      const write = init?.method === 'POST' && urlOf(input).includes('/series/');
      if (write) {
        events.push('write sent');
        await held;
      }
      const r = await fetch(input, init);
      if (write) events.push(`write answered ${r.status}`);
      return r;
    };
    const b = await start('held', { client: client(holding) });
    b.mqtt.on('packetsend', (p) => p.cmd === 'puback' && events.push(`puback ${p.messageId}`));
    await publish('held/x', '1764000000,1');
    await publish('held/x', '1764000001,2');
    // Both delivered to the bridge and their batch sent: while the server has not answered, no PUBACK.
    await waitFor(() => b.delivered === 2 && events.includes('write sent'));
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, ['write sent']);
    release();
    await b.until((s) => s.acknowledged === 2);
    assert.deepEqual(events.slice(0, 2), ['write sent', 'write answered 204']);
    assert.equal(events.filter((e) => e.startsWith('puback')).length, 2);
    await b.stop();
  });

  it('loses and doubles nothing when its broker connection drops: redelivered bare values keep their stamp', async () => {
    let release!: () => void;
    let held: Promise<void> | undefined = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    const holding: typeof fetch = async (input, init) => {
      if (init?.method === 'POST' && urlOf(input).includes('/series/') && held) {
        writes++;
        await held;
      }
      return fetch(input, init);
    };
    const b = await start('drop', { client: client(holding), reconnectMs: 50 });
    for (let i = 0; i < 5; i++) await publish('drop/bare', String(i));
    for (let i = 0; i < 5; i++) await publish('drop/timed', `${1764000000 + i},${i}`);
    await waitFor(() => writes >= 2);
    // The connection drops while both batches wait for the server: no PUBACK was sent, so the broker sends all ten again.
    b.mqtt.stream.destroy();
    await new Promise<void>((resolve) => b.mqtt.once('connect', () => resolve()));
    await waitFor(() => b.delivered === 20);
    held = undefined;
    release();
    await b.until((s) => s.written === 20 && s.pending === 0);
    const stats = await b.stop();
    assert.equal(stats.connects, 2);
    const bare = await seriesByTitle('drop/bare');
    assert.deepEqual(bare.map((p) => p[1]), [0, 1, 2, 3, 4], 'each bare value once');
    assert.deepEqual(await seriesByTitle('drop/timed'), [0, 1, 2, 3, 4].map((i) => [1764000000 + i, i]));
  });

  it('reconnects after a broker restart and writes what was published meanwhile, each once', async () => {
    const b = await start('restart', { reconnectMs: 50, maxReconnectMs: 200 });
    for (let i = 0; i < 100; i++) void publish('restart/s', `${1764000000 + i},${i}`);
    await b.until((s) => s.written === 100);
    await broker.restart();
    await new Promise<void>((resolve) => (publisher.connected ? resolve() : publisher.once('connect', () => resolve())));
    for (let i = 100; i < 200; i++) void publish('restart/s', `${1764000000 + i},${i}`);
    await b.until((s) => s.written >= 200 && s.pending === 0);
    const stats = await b.stop();
    assert.ok(stats.connects >= 2);
    const points = await seriesByTitle('restart/s');
    assert.deepEqual(points, Array.from({ length: 200 }, (_, i) => [1764000000 + i, i]));
  });

  it('retries writes while the server is unreachable, acknowledging nothing meanwhile', async () => {
    let failures = 3;
    const flaky: typeof fetch = (input, init) => {
      if (init?.method === 'POST' && urlOf(input).includes('/series/') && failures > 0) {
        failures--;
        return Promise.reject(new TypeError('fetch failed (connection refused)'));
      }
      return fetch(input, init);
    };
    const b = await start('flaky', { client: client(flaky) });
    await publish('flaky/s', '1764000000,1');
    const stats = await b.until((s) => s.written === 1);
    assert.equal(failures, 0);
    assert.equal(stats.acknowledged, 1);
    await b.stop();
    assert.deepEqual(await seriesByTitle('flaky/s'), [[1764000000, 1]]);
  });

  it('follows a map file: ids, titles, ignored and unmapped topics', async () => {
    const existing = await client().createSeries({ title: 'mapped target', caption: 'c' });
    const map = parseTopicMap([`map/id = ${existing.id}`, 'map/skip/# = -', 'map/+/t = Temperature {topic}'].join('\n'), 'map.txt');
    const b = await start('map', { map });
    await publish('map/id', '1764000000,1');
    await publish('map/skip/x', '1764000000,2');
    await publish('map/kitchen/t', '1764000000,3');
    await publish('map/other', '1764000000,4');
    await b.until((s) => s.written === 2 && s.ignored === 1 && s.unmapped === 1);
    await b.stop();
    assert.deepEqual(await lastValueFrom(existing.values$.pipe(toArray())), [[1764000000, 1]]);
    assert.deepEqual(await seriesByTitle('Temperature map/kitchen/t'), [[1764000000, 3]]);
    assert.ok(b.log.some((l) => l.includes('"map/other": no line of the map matches it')));
  });

  it('refuses topics over MAX_BRIDGE_TOPIC_CHARS, logging them cut to 120 characters', async () => {
    const b = await start('long');
    const topic = `long/${'x'.repeat(MAX_BRIDGE_TOPIC_CHARS)}`;
    await publish(topic, '1764000000,1');
    await publish('long/short', '1764000000,2');
    await b.until((s) => s.refused === 1 && s.written === 1);
    await b.stop();
    const line = b.log.find((l) => l.includes('not written, a topic of more than'))!;
    assert.ok(line.length < 250, line);
    assert.ok(line.includes(`"long/${'x'.repeat(115)}"…`), line);
  });

  it('prints a throughput line every statsEveryMs (timed on its scheduler)', async () => {
    // Holds each throughput tick until the spec runs it; everything else runs at once.
    const ticks: (() => void)[] = [];
    const asked: number[] = [];
    const scheduler: SchedulerLike = {
      now: () => Date.now(),
      schedule: <T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T) => {
        if (delay !== 5_000) return asapScheduler.schedule(work, 0, state);
        asked.push(delay);
        // The bridge's tick does not use its action (`this`).
        ticks.push(() => work.call(undefined as never, state));
        return asapScheduler.schedule(() => undefined);
      },
    };
    const b = await start('verbose', { statsEveryMs: 5_000, scheduler });
    await publish('verbose/s', '1764000000,1');
    await publish('verbose/s', 'oops');
    await b.until((s) => s.written === 1 && s.bad === 1);
    ticks.shift()!();
    ticks.shift()!();
    await b.stop();
    assert.deepEqual(asked, [5_000, 5_000, 5_000], 'each tick schedules the next');
    const lines = b.log.filter((l) => l.includes('msg/s in'));
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^timetric bridge: [\d,]+ msg\/s in, [\d,]+ written\/s; total 2 received, 1 written, 0 pending, 1 bad, 0 refused\n$/);
    assert.match(lines[1]!, /^timetric bridge: 0 msg\/s in, 0 written\/s; total 2 received/);
  });

  it('reconnects to a broker that is away with backoff: doubling from reconnectMs, with jitter, up to maxReconnectMs', async () => {
    // A port nothing listens on.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const delays: number[] = [];
    const scheduler: SchedulerLike = {
      now: () => Date.now(),
      schedule: <T>(work: (this: SchedulerAction<T>, state?: T) => void, delay?: number, state?: T) => {
        delays.push(delay ?? 0);
        return asapScheduler.schedule(work, 0, state);
      },
    };
    const log: string[] = [];
    const abort = new AbortController();
    const done = runBridge({
      client: client(),
      mqttUrl: `mqtt://127.0.0.1:${port}`,
      topics: ['x/#'],
      clientId: 'spec-away',
      reconnectMs: 1_000,
      maxReconnectMs: 30_000,
      scheduler,
      log: (line) => log.push(line),
      signal: abort.signal,
    });
    await waitFor(() => delays.length >= 8);
    abort.abort();
    const stats = await done;
    assert.equal(stats.connects, 0);
    for (const [k, d] of delays.slice(0, 8).entries()) {
      const full = Math.min(30_000, 1_000 * 2 ** k);
      assert.ok(d >= full / 2 && d <= full, `attempt ${k + 1}: ${d} ms, expected ${full / 2}-${full}`);
    }
    assert.equal(log.filter((l) => l.includes('ECONNREFUSED')).length, 1, 'the same error is logged once');
    assert.match(log.find((l) => l.includes('attempt 3'))!, /^timetric bridge: reconnecting to the broker in \d+\.\d s \(attempt 3\)\n$/);
  });

  it('stops with an AuthenticationError when the server refuses the token', async () => {
    const b = await start('auth', { client: client(undefined, 'wrong-secret') });
    await publish('auth/s', '1');
    await assert.rejects(b.done, AuthenticationError);
  });
});
