// Issue #11, finding 10: idle connections cannot lock new clients out. The server runs in a child
// process under `ulimit -n 1024`; this process opens 1,600 TCP connections to it that never send a
// byte. Before, the server ran out of descriptors: libuv then accepts and drops, the listen queue
// fills, and every new client waited 60–90 s (the headers timeout). Now connections are capped
// below the descriptor limit (maxConnections 'auto': 921 here) and a new one closes the oldest
// never-used one, so a new client is served at once while ~921 idle sockets are still held.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const IDLE = 1_600;
const BATCH = 100;
const server = (name: string): string => fileURLToPath(new URL(`../../src/server/${name}`, import.meta.url));
// The child prints its descriptor limit, the connection cap it derived, and its URL.
const CHILD = `
import { readFileSync } from 'node:fs';
import { createTimetricServer } from ${JSON.stringify(server('createTimetricServer.js'))};
import { autoMaxConnections } from ${JSON.stringify(server('http/autoMaxConnections.js'))};
import { openSqliteStore } from ${JSON.stringify(server('store/sqlite/openSqliteStore.js'))};
const limit = /^Max open files\\s+(\\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
const app = createTimetricServer({ store: await openSqliteStore(':memory:') });
const url = await app.listen({ port: 0 });
console.log(JSON.stringify({ limit: Number(limit), cap: autoMaxConnections(), url }));
process.stdin.resume();
process.stdin.on('end', () => void app.close().then(() => process.exit(0)));
`;

let child: ChildProcess;
let info: { limit: number; cap: number; url: string };
const idle: Socket[] = [];
before(async () => {
  child = spawn('bash', ['-c', 'ulimit -n 1024 && exec "$0" --import tsx --input-type=module -e "$1"', process.execPath, CHILD], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  info = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as typeof info);
    });
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before listening`)));
  });
});
after(async () => {
  for (const s of idle) s.destroy();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin!.end();
  const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(kill);
});

/** A GET / on a connection of its own; resolves to the status and the ms it took. */
function freshGet(url: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(`${url}/`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end();
  });
}

describe('idle connections', () => {
  it(`${IDLE} idle sockets under a 1,024-descriptor limit: new clients are still served at once`, { timeout: 60_000 }, async (test) => {
    assert.equal(info.limit, 1024, 'the server really runs under ulimit -n 1024');
    assert.equal(info.cap, 921);
    const { hostname, port } = new URL(info.url);
    let closed = 0;
    let settle!: () => void;
    const evicted = new Promise<void>((resolve) => (settle = resolve));
    // In batches well under the listen backlog (511): a burst of 1,600 overflows the kernel's
    // accept queue, and the handshakes it drops complete only when the server retransmits its
    // SYN-ACK (1, 2, 4, 8 s later). The first sockets then reach the 10 s headers timeout before
    // the last are accepted, and are closed by it rather than by the cap, which is not the case
    // this spec is about (seen in 1 run in 10, with 600 sockets left).
    const started = performance.now();
    for (let from = 0; from < IDLE; from += BATCH) {
      const batch: Promise<void>[] = [];
      for (let i = from; i < Math.min(IDLE, from + BATCH); i++) {
        const s = connect(Number(port), hostname);
        idle.push(s);
        s.on('error', () => undefined);
        batch.push(new Promise((resolve) => s.once('connect', () => resolve()).once('close', () => resolve())));
        s.once('close', () => {
          if (++closed >= IDLE - info.cap) settle();
        });
      }
      await Promise.all(batch);
    }
    // The server has accepted all of them once it has closed the ones over its cap.
    await evicted;
    const acceptedMs = performance.now() - started;

    const tries = [];
    for (let i = 0; i < 3; i++) tries.push(await freshGet(info.url));
    const ms = tries.map((r) => r.ms).sort((a, b) => a - b);
    assert.deepEqual(
      tries.map((r) => r.status),
      [200, 200, 200],
    );
    assert.ok(ms[1]! < 1000, `median ${ms[1]!.toFixed(0)} ms (tries: ${ms.map((m) => m.toFixed(0)).join(', ')})`);
    const stillOpen = idle.filter((s) => !s.destroyed).length;
    assert.ok(
      stillOpen >= info.cap - 10,
      `the idle sockets were still held (${stillOpen} open, ${closed} closed, all accepted ${acceptedMs.toFixed(0)} ms after the first) while the new clients were served`,
    );
    test.diagnostic(`new clients served in ${ms.map((m) => m.toFixed(0)).join(', ')} ms with ${stillOpen} idle sockets held; ${closed} closed by the cap; all accepted in ${acceptedMs.toFixed(0)} ms`);
  });
});
