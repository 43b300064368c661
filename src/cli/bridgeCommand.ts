import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AuthenticationError } from '../index.js';
import type { BridgeStats } from './bridge/runBridge.js';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, EXIT_NOT_FOUND, clientFrom } from './clientOptions.js';
import { CommandFailure } from './CommandFailure.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

const OPTIONS = {
  ...CLIENT_OPTIONS,
  mqtt: { type: 'string' },
  topic: { type: 'string', multiple: true },
  'client-id': { type: 'string' },
  'mqtt-user': { type: 'string' },
  'mqtt-password': { type: 'string' },
  map: { type: 'string' },
  owner: { type: 'string' },
  'window-ms': { type: 'string' },
  'session-expiry': { type: 'string' },
  'max-topics': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

function whole(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got "${text}"`);
  return Number(text);
}

/** One line of counts, as printed when the bridge stops. */
export function formatBridgeStats(s: BridgeStats): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  return `${n(s.received)} received, ${n(s.written)} written, ${n(s.bad)} bad, ${n(s.refused)} refused, ${n(s.unmapped)} unmapped, ${n(s.ignored)} ignored, ${n(s.acknowledged)} acknowledged, ${n(s.pending)} left unacknowledged (the broker sends them again), ${n(s.seriesCreated)} series created`;
}

/** `timetric bridge --mqtt URL --topic FILTER…`: MQTT messages into series, acknowledged once written. */
export const bridgeCommand: Command = {
  help: `Usage: timetric bridge --mqtt mqtt://HOST:PORT --topic FILTER [--topic FILTER…] [options]

Subscribes to the topic filters with QoS 1 on a persistent session and writes every message as a
point: by default into one series per topic, the series titled by the topic (found, or created
with tag "mqtt"); with --map, as a map file says. A message is acknowledged to the broker only once
the server has acknowledged the batch holding it, so a bridge that is stopped or killed loses
nothing: the broker sends the rest again. Runs until SIGINT or SIGTERM, then writes what it holds,
prints the counts and exits 0.

Payloads: a bare value (42, -1.5, null, true, false: stamped on arrival), JSON
{"value": 42, "time": 1764000000} (time in unix seconds or ISO 8601, optional), or a CSV line
"time,value". Anything else is a bad payload: logged (topic and text) and counted, never fatal.

Options:
  --mqtt URL              broker, mqtt:// mqtts:// ws:// wss:// (default: $TIMETRIC_MQTT_URL)
  --topic FILTER          topic filter to subscribe to, + and # allowed; repeatable
                          (default: $TIMETRIC_MQTT_TOPIC, filters separated by commas)
  --client-id ID          MQTT client id; the broker keeps the session under it, so keep it stable
                          (default: $TIMETRIC_MQTT_CLIENT_ID, else timetric-bridge-HOSTNAME)
  --mqtt-user NAME        broker user name (default: $TIMETRIC_MQTT_USERNAME, or in the URL)
  --mqtt-password PW      broker password (default: $TIMETRIC_MQTT_PASSWORD, or in the URL)
  --map FILE              topic → series rules: "FILTER = SERIES-ID | TITLE | -" a line
  --owner USER            find series by title among this user's only (default: any you can read)
  --window-ms MS          longest wait before a series' batch is sent (default 200)
  --session-expiry S      how long the broker keeps the session while the bridge is away,
                          seconds (default 604800, a week)
  --max-topics N          topics (series) written at most (default 10000)
  -v, --verbose           print throughput every 5 s
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, OPTIONS);
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const mqttUrl = values.mqtt ?? io.env.TIMETRIC_MQTT_URL;
    if (!mqttUrl) throw new UsageError('no broker: --mqtt mqtt://HOST:PORT or TIMETRIC_MQTT_URL');
    try {
      if (!/^(mqtts?|wss?|tcp|ssl):$/.test(new URL(mqttUrl).protocol)) throw new Error();
    } catch {
      throw new UsageError(`--mqtt: not an mqtt://, mqtts://, ws:// or wss:// URL: "${mqttUrl}"`);
    }
    const topics = values.topic ?? (io.env.TIMETRIC_MQTT_TOPIC ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    if (topics.length === 0) throw new UsageError('no topic: --topic FILTER (e.g. --topic "sensors/#") or TIMETRIC_MQTT_TOPIC');
    const client = clientFrom(values, io);
    const windowMs = whole('window-ms', values['window-ms'], 1);
    const sessionExpirySeconds = whole('session-expiry', values['session-expiry'], 0);
    const maxTopics = whole('max-topics', values['max-topics'], 1);
    let map;
    if (values.map !== undefined) {
      const { parseTopicMap } = await import('./bridge/parseTopicMap.js');
      let text: string;
      try {
        text = await readFile(values.map, 'utf8');
      } catch (err) {
        throw new UsageError(`--map: cannot read ${values.map}: ${(err as Error).message}`);
      }
      map = parseTopicMap(text, values.map);
    }
    const { runBridge } = await import('./bridge/runBridge.js');
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const stats = await runBridge({
        client,
        mqttUrl,
        topics,
        clientId: values['client-id'] ?? io.env.TIMETRIC_MQTT_CLIENT_ID ?? `timetric-bridge-${hostname()}`,
        username: values['mqtt-user'] ?? io.env.TIMETRIC_MQTT_USERNAME,
        password: values['mqtt-password'] ?? io.env.TIMETRIC_MQTT_PASSWORD,
        map,
        owner: values.owner,
        windowMs,
        sessionExpirySeconds,
        maxTopics,
        statsEveryMs: values.verbose ? 5_000 : 0,
        log: io.err,
        signal: stop.signal,
      });
      io.out(`timetric bridge: stopped: ${formatBridgeStats(stats)}\n`);
      return 0;
    } catch (err) {
      if (err instanceof AuthenticationError) {
        io.err(`timetric bridge: ${err.message.split('\n')[0]}\n`);
        return EXIT_NOT_FOUND;
      }
      throw new CommandFailure(err instanceof Error ? err.message.split('\n')[0]! : String(err));
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};
