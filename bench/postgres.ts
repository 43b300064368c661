// PostgreSQL beside SQLite (issue 6), in one run:
//  1. store level: ingest of 1,000,000 points through a staged write (openWriter → stage in
//     10,000-point pieces → commit), as `/create/` with data and as a POST into an existing series,
//     then a full ordered read (readPoints);
//  2. HTTP level: 1,000,000 points uploaded as three text/csv `/create/` bodies at once —
//     PostgreSQL: three server processes on one database, one upload each; SQLite: its supported
//     deployment, one server process on one file, taking the three uploads concurrently.
// PostgreSQL is a throwaway cluster from Debian's binaries started durable (fsync on, as in
// production); SQLite is a file in WAL mode with synchronous=FULL (the default). Medians of 3.
// Run: npx tsx bench/postgres.ts   (BENCH_POINTS=… to change the size)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { startPostgresCluster } from '../spec/helpers/postgresCluster.js';
import type { Point } from '../src/codec/Point.js';
import { hashPassword } from '../src/server/auth/passwords.js';
import { hashSecret, mintKey, mintSecret } from '../src/server/auth/secrets.js';
import { createTimetricServer } from '../src/server/createTimetricServer.js';
import { openStore } from '../src/server/store/openStore.js';
import type { NewSeries, Store } from '../src/server/store/Store.js';

// Child mode: one server instance on the given database; prints its URL.
if (process.argv[2] === '--instance') {
  const store = await openStore(process.argv[3]!);
  const server = createTimetricServer({ store });
  console.log(await server.listen({ port: 0, host: '127.0.0.1' }));
  process.on('SIGTERM', () => {
    void server.close().then(() => store.close()).then(() => process.exit(0));
  });
} else {
  await main();
}

async function main(): Promise<void> {
  const POINTS = Number(process.env.BENCH_POINTS ?? 1_000_000);
  const RUNS = 3;
  const T0 = 1_500_000_000;
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const dir = mkdtempSync(join(tmpdir(), 'timetric-bench-pg-'));
  const cluster = await startPostgresCluster({ durable: true });
  let seq = 0;
  const meta = (): NewSeries => ({
    id: `bench${String(++seq).padStart(17, '0')}`,
    ownerId: 1,
    title: 'bench',
    caption: 'bench',
    description: null,
    tags: [],
    public: false,
    extra: {},
  });

  async function newDatabase(): Promise<string> {
    const name = `bench_${++seq}`;
    const admin = new pg.Client({ connectionString: cluster.urlFor('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return cluster.urlFor(name);
  }

  async function ingest(store: Store, create: boolean): Promise<{ id: string; rate: number }> {
    const m = meta();
    if (!create) await store.createSeries(m);
    const start = performance.now();
    const w = await store.openWriter(m.id, 'merge', create ? m : undefined);
    for (let s = 0; s < POINTS; s += 10_000) {
      const chunk = new Array<Point>(Math.min(10_000, POINTS - s));
      for (let i = 0; i < chunk.length; i++) chunk[i] = [T0 + s + i, Math.round(Math.sin(s + i) * 1e6) / 1e3];
      await w.stage(chunk);
    }
    await w.commit();
    return { id: m.id, rate: POINTS / ((performance.now() - start) / 1000) };
  }

  async function read(store: Store, id: string): Promise<number> {
    const start = performance.now();
    let n = 0;
    for await (const chunk of store.readPoints(id, {})) n += chunk.length;
    if (n !== POINTS) throw new Error(`read ${n} points, expected ${POINTS}`);
    return POINTS / ((performance.now() - start) / 1000);
  }

  async function storeLevel(db: () => Promise<string>) {
    const create: number[] = [];
    const merge: number[] = [];
    const reads: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const store = await openStore(await db());
      try {
        create.push((await ingest(store, true)).rate);
        const m = await ingest(store, false);
        merge.push(m.rate);
        reads.push(await read(store, m.id));
      } finally {
        await store.close();
      }
    }
    return { create: median(create), merge: median(merge), read: median(reads) };
  }

  async function startInstance(db: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/postgres.ts', '--instance', db], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`instance exited (${code})`)));
      createInterface({ input: child.stdout }).once('line', resolve);
    });
    return { child, url };
  }

  async function stopInstance(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Three concurrent `/create/` uploads splitting POINTS between them; `instances` = 1 or 3. */
  async function httpLevel(db: () => Promise<string>, instances: number): Promise<number> {
    const per = Math.ceil(POINTS / 3);
    const bodies = [0, 1, 2].map((k) => {
      let text = '';
      for (let i = 0; i < per; i++) text += `${T0 + i},${Math.round(Math.sin(k * per + i) * 1e6) / 1e3}\n`;
      return text;
    });
    const rates: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const url = await db();
      const admin = await openStore(url);
      const user = await admin.createUser('bench', await hashPassword('bench'));
      const key = mintKey();
      const secret = mintSecret();
      await admin.createApiToken({ key, userId: user.id, name: 'bench', secretHash: hashSecret(secret) });
      await admin.close();
      const basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
      const servers = await Promise.all(Array.from({ length: instances }, () => startInstance(url)));
      try {
        const start = performance.now();
        await Promise.all(
          bodies.map(async (body, k) => {
            const res = await fetch(`${servers[k % instances]!.url}/create/?title=b${k}&caption=b`, {
              method: 'POST',
              headers: { authorization: basic, 'content-type': 'text/csv' },
              body,
              redirect: 'manual',
            });
            if (res.status !== 303) throw new Error(`upload ${k}: ${res.status} ${await res.text()}`);
          }),
        );
        rates.push((per * 3) / ((performance.now() - start) / 1000));
      } finally {
        await Promise.all(servers.map((s) => stopInstance(s.child)));
      }
    }
    return median(rates);
  }

  try {
    const sqliteDb = (): Promise<string> => Promise.resolve(join(dir, `bench-${++seq}.db`));
    const pgDb = newDatabase;
    const sq = await storeLevel(sqliteDb);
    const pq = await storeLevel(pgDb);
    const sqHttp = await httpLevel(sqliteDb, 1);
    const pqHttp = await httpLevel(pgDb, 3);
    const fmt = (n: number): string => `${Math.round(n).toLocaleString('en-US')} points/s`.padStart(20);
    console.log(`\n${POINTS.toLocaleString('en-US')} points, medians of ${RUNS} runs, 2-core machine\n`);
    console.log(`${''.padEnd(58)}${'SQLite'.padStart(20)}${'PostgreSQL'.padStart(20)}`);
    console.log(`${'store: ingest, /create/ with data (PG: chunks staged)'.padEnd(58)}${fmt(sq.create)}${fmt(pq.create)}`);
    console.log(`${'store: ingest, POST to a series (PG: chunks staged)'.padEnd(58)}${fmt(sq.merge)}${fmt(pq.merge)}`);
    console.log(`${'store: full ordered read'.padEnd(58)}${fmt(sq.read)}${fmt(pq.read)}`);
    console.log(`${'HTTP: 3 concurrent /create/ uploads (SQLite 1 / PG 3 inst.)'.padEnd(58)}${fmt(sqHttp)}${fmt(pqHttp)}`);
    // Issue #17: ingest into an existing series ≥ 0.4 M points/s (goal 0.7 M).
    const target = 400_000;
    console.log(`\nPostgreSQL ingest into an existing series ≥ ${target.toLocaleString('en-US')} points/s: ${pq.merge >= target ? 'met' : 'NOT met'} (${Math.round(pq.merge).toLocaleString('en-US')})`);
  } finally {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
