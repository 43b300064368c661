import { createHash } from 'node:crypto';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { PointValue } from '../../codec/Point.js';
import { AuthenticationError, type TimetricClient } from '../../index.js';
import { retryDelay } from '../../streams/retry/retryDelay.js';
import { AckQueue, type AckTicket } from './AckQueue.js';
import { deferPubacks } from './deferPubacks.js';
import { parseBridgePayload, MAX_BRIDGE_PAYLOAD_CHARS } from './parseBridgePayload.js';
import type { SeriesTarget, TopicMap } from './parseTopicMap.js';
import { SeriesResolver } from './SeriesResolver.js';
import { SeriesSink } from './SeriesSink.js';

/** Options of {@link runBridge}; defaults in {@link DEFAULT_BRIDGE_OPTIONS}. */
export interface BridgeOptions {
  /** The Timetric client the points are written through. */
  client: TimetricClient;
  /** The broker, `mqtt://HOST:PORT` (also `mqtts://`, `ws://`, `wss://`); user name and password may be in the URL. */
  mqttUrl: string;
  /** Topic filters subscribed to, with QoS 1. */
  topics: readonly string[];
  /** The MQTT client id: the broker keeps the session (and the messages queued for it) under this name. */
  clientId: string;
  /** Broker user name and password, when not in the URL. */
  username?: string | undefined;
  password?: string | undefined;
  /** Topic → series rules (`--map`); default: one series per topic, titled by the topic. */
  map?: TopicMap | undefined;
  /** Only this user's series are found by title (see {@link SeriesResolver}). */
  owner?: string | undefined;
  /** How long the broker keeps the session while the bridge is away, seconds. Default 604,800 (a week). */
  sessionExpirySeconds?: number | undefined;
  /** A batch of a series is sent this long after its first point at the latest, ms. Default 200. */
  windowMs?: number | undefined;
  /** …or once it holds this many points. Default 5,000. */
  maxBatchPoints?: number | undefined;
  /** Topics the bridge writes at most (each is a series); messages of further topics are refused. Default 10,000. */
  maxTopics?: number | undefined;
  /** First delay before reconnecting to the broker, ms (doubles, with jitter, up to `maxReconnectMs`). Default 1,000. */
  reconnectMs?: number | undefined;
  /** Longest delay between broker reconnects, ms. Default 30,000. */
  maxReconnectMs?: number | undefined;
  /** On stop, how long to wait for batches in flight, ms. Default 10,000. */
  drainMs?: number | undefined;
  /** Print a throughput line this often, ms (0: never). Default 0 (`--verbose` sets 5,000). */
  statsEveryMs?: number | undefined;
  /** Bad payloads logged a minute at most (the rest are counted). Default 100. */
  maxLoggedPerMinute?: number | undefined;
  /** Where the log lines go (one line each, with its newline). */
  log: (line: string) => void;
  /** Stops the bridge: it writes what it holds, acknowledges it, disconnects and resolves. */
  signal: AbortSignal;
  /** Told the counts whenever messages were settled: written, or given up on (bad, refused, unmapped). Default: nothing. */
  progress?: ((stats: BridgeStats) => void) | undefined;
  /** Told the mqtt.js client once it is made, before it connects (for embedding and tests). */
  onMqttClient?: ((client: MqttClient) => void) | undefined;
  /** The clock stamping values without a time, ms since the epoch. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Where the broker reconnect delays and the throughput lines are timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike | undefined;
}

/** Defaults of {@link BridgeOptions}. */
export const DEFAULT_BRIDGE_OPTIONS = {
  sessionExpirySeconds: 604_800,
  windowMs: 200,
  maxBatchPoints: 5_000,
  maxTopics: 10_000,
  reconnectMs: 1_000,
  maxReconnectMs: 30_000,
  drainMs: 10_000,
  statsEveryMs: 0,
  maxLoggedPerMinute: 100,
} satisfies Partial<BridgeOptions>;

/** What the bridge counted, reported while it runs and when it stops. */
export interface BridgeStats {
  /** Messages received (each delivery counts; a redelivered one again). */
  received: number;
  /** Messages whose point the server acknowledged. */
  written: number;
  /** Payloads that are no point (logged, acknowledged, not written). */
  bad: number;
  /** Messages of topics the map has no line for (acknowledged, not written). */
  unmapped: number;
  /** Messages of topics mapped to `-` (acknowledged, not written). */
  ignored: number;
  /** Messages the server refused, or whose series could not be found or created (logged, acknowledged). */
  refused: number;
  /** PUBACKs sent. */
  acknowledged: number;
  /** Messages received and not yet acknowledged. */
  pending: number;
  /** Series created for new topics. */
  seriesCreated: number;
  /** Connections to the broker made. */
  connects: number;
}

/** A message on its way to a series. */
interface Held {
  /** Its time, unix seconds; undefined for a value to stamp. */
  time: number | undefined;
  value: PointValue;
  ticket: AckTicket;
  /** When it arrived, ms since the epoch. */
  arrival: number;
  /** Topic and packet id: a redelivery has the same. */
  key: string;
  /** The payload, a view into mqtt.js's read buffer (see {@link fingerprint}). */
  payload: Buffer;
}

/** A topic's way to its series: the sink, or the messages held while the series is looked up. */
type Route = { sink: SeriesSink } | { waiting: Held[] };

const STAMP_MEMORY = 200_000;

/**
 * The longest topic the bridge writes, characters (the server's default `maxTitleChars`, since a
 * topic becomes a title); a longer one is refused and logged. It bounds what each route, series
 * lookup and log line holds.
 */
export const MAX_BRIDGE_TOPIC_CHARS = 1_000;

/** A payload as remembered with its stamp: itself when short, else its SHA-1 (20 bytes). */
function fingerprint(payload: Buffer): Buffer {
  return payload.length <= 64 ? Buffer.from(payload) : createHash('sha1').update(payload).digest();
}

/** A topic as log lines quote it: JSON, cut to 120 characters. */
const quoted = (topic: string): string => (topic.length > 120 ? `${JSON.stringify(topic.slice(0, 120))}…` : JSON.stringify(topic));

/**
 * The MQTT bridge behind `timetric bridge`: subscribes to `topics` with QoS 1 on a persistent
 * session and writes every message as a point of its topic's series through `writeTo`. A message's
 * PUBACK is sent only once the server acknowledged the batch that holds it, in the order the
 * messages arrived, so a bridge killed at any moment loses nothing: the broker sends what was not
 * acknowledged again, and a point carrying its time replaces itself. A bad payload is logged (one
 * line: topic, why, and the text) and counted, never fatal. Reconnects to the broker with backoff;
 * writes retry with backoff while the server is unreachable (nothing is acknowledged meanwhile, so
 * the broker holds the messages).
 *
 * Values without a time are stamped on arrival (strictly increasing per series); a message the
 * broker sends again while this bridge is still running gets the stamp of its first delivery, but
 * one redelivered to a restarted bridge gets a new stamp, and so is stored twice.
 *
 * Resolves with the counts once `signal` aborted and the batches in flight are written (at most
 * `drainMs`). Rejects with an {@link AuthenticationError} when the server refuses the token.
 *
 * @param options - See {@link BridgeOptions}.
 * @returns The final counts.
 */
export async function runBridge(options: BridgeOptions): Promise<BridgeStats> {
  const o = { ...DEFAULT_BRIDGE_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as BridgeOptions & typeof DEFAULT_BRIDGE_OPTIONS;
  const now = options.now ?? Date.now;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) stop.abort();
  let fatal: AuthenticationError | undefined;
  const stats: BridgeStats = { received: 0, written: 0, bad: 0, unmapped: 0, ignored: 0, refused: 0, acknowledged: 0, pending: 0, seriesCreated: 0, connects: 0 };

  // Rate-limited logging of per-message problems.
  let logWindowStart = now();
  let loggedInWindow = 0;
  let suppressed = 0;
  const logProblem = (line: string): void => {
    const t = now();
    if (t - logWindowStart >= 60_000) {
      if (suppressed) o.log(`timetric bridge: ${suppressed} more problem(s) in the last minute, counted only\n`);
      logWindowStart = t;
      loggedInWindow = 0;
      suppressed = 0;
    }
    if (loggedInWindow++ < o.maxLoggedPerMinute) o.log(`timetric bridge: ${line}\n`);
    else suppressed++;
  };
  const excerpt = (payload: Buffer): string => JSON.stringify(payload.subarray(0, 120).toString('utf8')) + (payload.length > 120 ? '…' : '');

  // Values without a time, by topic and packet id, while unacknowledged: a redelivery reuses them.
  // Memory: at most STAMP_MEMORY entries of a topic (≤ MAX_BRIDGE_TOPIC_CHARS) and ≤ 64 bytes.
  const stamps = new Map<string, { fingerprint: Buffer; time: number }>();
  const stampKeys = new WeakMap<AckTicket, string>();

  let sendPuback: (id: number) => boolean = () => false;
  const queue = new AckQueue(
    (id) => void sendPuback(id),
    (ticket, acknowledged) => {
      const key = stampKeys.get(ticket);
      if (key !== undefined && acknowledged) stamps.delete(key);
    },
  );
  const report = options.progress ? () => options.progress!(snapshot()) : () => undefined;
  const acks = {
    add: (id: number | undefined) => queue.add(id),
    get connection() {
      return queue.connection;
    },
    newConnection: () => queue.newConnection(),
    settle(t: AckTicket) {
      queue.settle(t);
      report();
    },
    settleAll(ts: Iterable<AckTicket>) {
      queue.settleAll(ts);
      report();
    },
  };

  const snapshot = (): BridgeStats => ({ ...stats, acknowledged: queue.acknowledged, pending: queue.pending, seriesCreated: resolver.created });
  const resolver = new SeriesResolver(o.client, stop.signal, { owner: options.owner });
  const sinks = new Map<string, SeriesSink>();
  const routes = new Map<string, Route>();
  const titles = new Map<string, string>(); // topic → title it was resolved by
  const endedSinks = new Set<Promise<void>>();
  const refusedTopics = new Set<string>();
  const resolving = new Set<Promise<void>>();
  let finished = false;

  const failFatal = (err: AuthenticationError): void => {
    fatal ??= err;
    stop.abort();
  };

  const sinkFor = (id: string): SeriesSink => {
    let sink = sinks.get(id);
    if (sink?.open) return sink;
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    endedSinks.add(done);
    sink = new SeriesSink(
      o.client.series(id),
      { windowMs: o.windowMs, maxBatchPoints: o.maxBatchPoints, maxRetries: Number.POSITIVE_INFINITY, deadlineMs: Number.POSITIVE_INFINITY, maxBufferPoints: 1_000_000, flushOnUnsubscribe: false },
      {
        written: (tickets) => {
          stats.written += tickets.length;
          acks.settleAll(tickets);
        },
        failed: (tickets, error) => {
          if (sinks.get(id) === created) sinks.delete(id);
          for (const [topic, route] of routes) {
            if ('sink' in route && route.sink === created) {
              routes.delete(topic);
              forgetTitle(topic);
            }
          }
          if (tickets.length === 0) return;
          if (error instanceof AuthenticationError) return failFatal(error);
          stats.refused += tickets.length;
          logProblem(`series ${id}: ${tickets.length} message(s) not written: ${firstLine(error)}`);
          acks.settleAll(tickets);
        },
        ended: () => {
          endedSinks.delete(done);
          ended();
        },
      },
    );
    const created = sink;
    sinks.set(id, sink);
    return sink;
  };

  const forgetTitle = (topic: string): void => {
    const title = titles.get(topic);
    if (title !== undefined) resolver.forget(title);
    titles.delete(topic);
  };

  const deliver = (sink: SeriesSink, h: Held): void => {
    let t = h.time;
    if (t === undefined) {
      const remembered = stamps.get(h.key);
      const print = fingerprint(h.payload);
      if (remembered && remembered.fingerprint.equals(print)) t = remembered.time;
      else {
        t = sink.stamp(h.arrival / 1000);
        if (stamps.size >= STAMP_MEMORY) stamps.delete(stamps.keys().next().value!);
        stamps.set(h.key, { fingerprint: print, time: t });
      }
      stampKeys.set(h.ticket, h.key);
    }
    sink.push(t, h.value, h.ticket);
  };

  const routeTo = (topic: string, target: Exclude<SeriesTarget, { ignore: true }>, h: Held): void => {
    const route = routes.get(topic);
    if (route && 'sink' in route && route.sink.open) return deliver(route.sink, h);
    if (route && 'waiting' in route) return void route.waiting.push(h);
    if (routes.size >= o.maxTopics) {
      stats.refused++;
      if (!refusedTopics.has(topic) && refusedTopics.size < 1000) {
        refusedTopics.add(topic);
        logProblem(`topic ${quoted(topic)}: not written, the bridge writes at most ${o.maxTopics} topics (--max-topics)`);
      }
      return acks.settle(h.ticket);
    }
    const waiting: Held[] = [h];
    const fresh: Route = { waiting };
    routes.set(topic, fresh);
    const id = 'id' in target ? Promise.resolve(target.id) : resolver.resolve(target.title);
    if ('title' in target) titles.set(topic, target.title);
    const resolved = id.then(
      (seriesId) => {
        if (routes.get(topic) !== fresh) return;
        if (fatal !== undefined || finished) return void routes.delete(topic);
        const sink = sinkFor(seriesId);
        routes.set(topic, { sink });
        for (const w of waiting) deliver(sink, w);
      },
      (err: unknown) => {
        if (routes.get(topic) === fresh) routes.delete(topic);
        forgetTitle(topic);
        if (stop.signal.aborted) return;
        if (err instanceof AuthenticationError) return failFatal(err);
        stats.refused += waiting.length;
        logProblem(`topic ${quoted(topic)}: ${waiting.length} message(s) not written, no series: ${firstLine(err)}`);
        acks.settleAll(waiting.map((w) => w.ticket));
      },
    );
    resolving.add(resolved);
    void resolved.finally(() => resolving.delete(resolved));
  };

  const onMessage = (packet: IPublishPacket): void => {
    // Stopping: no more PUBACKs; the broker sends these again next time.
    if (stop.signal.aborted) return;
    stats.received++;
    const ticket = acks.add(packet.qos > 0 ? packet.messageId : undefined);
    const topic = packet.topic;
    // A view into mqtt.js's read buffer: copied only where it is kept (the stamp of a bare value).
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    if (topic.length > MAX_BRIDGE_TOPIC_CHARS) {
      stats.refused++;
      logProblem(`topic ${quoted(topic)}: not written, a topic of more than ${MAX_BRIDGE_TOPIC_CHARS} characters`);
      return acks.settle(ticket);
    }
    const target: SeriesTarget | undefined = o.map ? o.map.target(topic) : { title: topic };
    if (target === undefined || 'ignore' in target) {
      if (target === undefined) {
        stats.unmapped++;
        if (!refusedTopics.has(topic) && refusedTopics.size < 1000) {
          refusedTopics.add(topic);
          logProblem(`topic ${quoted(topic)}: no line of the map matches it; its messages are acknowledged and not written`);
        }
      } else stats.ignored++;
      return acks.settle(ticket);
    }
    const parsed = payload.length > MAX_BRIDGE_PAYLOAD_CHARS * 4 ? { ok: false as const, reason: `payload over ${MAX_BRIDGE_PAYLOAD_CHARS} characters` } : parseBridgePayload(payload.toString('utf8'));
    if (!parsed.ok) {
      stats.bad++;
      logProblem(`bad payload on ${quoted(topic)}: ${parsed.reason}: ${excerpt(payload)}`);
      return acks.settle(ticket);
    }
    routeTo(topic, target, { time: parsed.time, value: parsed.value, ticket, arrival: now(), key: `${topic}\n${packet.messageId ?? ''}`, payload });
  };

  // Reconnects with backoff of our own: mqtt.js's reconnectPeriod is a fixed interval.
  let reconnectAttempt = 0;
  // Not unref'd: while the broker is away this timer is what keeps the process running.
  let reconnectTimer: Subscription | undefined;
  const scheduler = options.scheduler ?? asyncScheduler;
  let lastError = '';
  const mq: MqttClient = mqtt.connect(o.mqttUrl, {
    protocolVersion: 5,
    clean: false,
    clientId: o.clientId,
    reconnectPeriod: 0,
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
    properties: { sessionExpiryInterval: o.sessionExpirySeconds, receiveMaximum: 65_535 },
    manualConnect: true,
  });
  const pubacks = deferPubacks(mq, onMessage);
  options.onMqttClient?.(mq);
  sendPuback = (id) => pubacks.puback(id);
  mq.on('connect', (connack) => {
    reconnectAttempt = 0;
    lastError = '';
    stats.connects++;
    acks.newConnection();
    o.log(`timetric bridge: connected to ${redact(o.mqttUrl)} as ${o.clientId}${connack.sessionPresent ? ' (session resumed)' : ''}\n`);
    mq.subscribe(
      o.topics.map((t) => t),
      { qos: 1 },
      (err, granted) => {
        if (err) return logProblem(`subscribe failed: ${err.message}`);
        for (const g of granted ?? []) if (g.qos !== 1) logProblem(`the broker granted QoS ${g.qos} for ${JSON.stringify(g.topic)} (wanted 1)`);
      },
    );
  });
  mq.on('error', (err) => {
    const line = firstLine(err);
    if (line !== lastError) o.log(`timetric bridge: broker ${redact(o.mqttUrl)}: ${line}\n`);
    lastError = line;
  });
  mq.on('close', () => {
    acks.newConnection();
    if (stop.signal.aborted || reconnectTimer) return;
    const delay = retryDelay(undefined, ++reconnectAttempt, { retryBaseMs: o.reconnectMs, maxBackoffMs: o.maxReconnectMs, random: Math.random }, Date.now());
    o.log(`timetric bridge: reconnecting to the broker in ${(delay / 1000).toFixed(1)} s (attempt ${reconnectAttempt})\n`);
    reconnectTimer = scheduler.schedule(() => {
      reconnectTimer = undefined;
      if (!stop.signal.aborted) mq.reconnect();
    }, delay);
  });
  mq.connect();

  let statsTimer: Subscription | undefined;
  if (o.statsEveryMs > 0) {
    let last = { at: now(), received: 0, written: 0 };
    const every = o.statsEveryMs;
    const tick = (): void => {
      const t = now();
      const s = snapshot();
      const secs = Math.max(1e-3, (t - last.at) / 1000);
      o.log(
        `timetric bridge: ${fmt((s.received - last.received) / secs)} msg/s in, ${fmt((s.written - last.written) / secs)} written/s; total ${fmt(s.received)} received, ${fmt(s.written)} written, ${fmt(s.pending)} pending, ${fmt(s.bad)} bad, ${fmt(s.refused)} refused\n`,
      );
      last = { at: t, received: s.received, written: s.written };
      statsTimer = scheduler.schedule(tick, every);
    };
    statsTimer = scheduler.schedule(tick, every);
  }

  await new Promise<void>((resolve) => (stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true })));
  statsTimer?.unsubscribe();
  reconnectTimer?.unsubscribe();
  options.signal.removeEventListener('abort', onAbort);

  // Drain: write what is held, acknowledge it, then disconnect.
  if (fatal === undefined) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, o.drainMs)));
    await Promise.race([Promise.allSettled([...resolving]), deadline]);
    for (const sink of sinks.values()) sink.end();
    await Promise.race([Promise.all([...endedSinks]), deadline]);
    clearTimeout(timer);
  }
  finished = true;
  for (const sink of sinks.values()) sink.abort();
  await new Promise<void>((resolve) => setImmediate(resolve)); // PUBACKs corked this turn go out first
  await mq.endAsync(false).catch(() => undefined);
  if (fatal !== undefined) throw fatal;
  return snapshot();
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
/** The broker URL without its password. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return url;
  }
}
