// Starts a real Mosquitto (Debian's /usr/sbin/mosquitto) for a spec: a config file in a temporary
// folder, a free loopback port, anonymous access, and no limit on the messages it queues for a
// persistent session (its default of 1,000 would drop messages while a bridge is away).
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestBroker {
  /** `mqtt://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** Stops the broker (its sessions and queued messages go with it). */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port (sessions kept only with persistence). */
  restart(): Promise<void>;
}

export const MOSQUITTO = '/usr/sbin/mosquitto';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts Mosquitto; `extra` lines are appended to its config. */
export async function startMosquitto(extra: string[] = []): Promise<TestBroker> {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-mosquitto-'));
  chmodSync(dir, 0o777); // run as root, mosquitto drops to its own user and must still write its persistence file
  const port = await freePort();
  const config = join(dir, 'mosquitto.conf');
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'max_queued_messages 0',
      'max_inflight_messages 0',
      'persistence true',
      `persistence_location ${dir}/`,
      'autosave_interval 3600',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      ...extra,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const c = spawn(MOSQUITTO, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      c.stderr.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('running')) resolve();
      });
      c.once('exit', (code) => reject(new Error(`mosquitto exited (${code}) before it was ready: ${log}`)));
      c.once('error', reject);
    });
    c.stderr.resume();
  };
  await start();
  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    restart: async () => {
      await stop();
      await start();
    },
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
