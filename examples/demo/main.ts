// Live demo: starts the embedded Timetric server on SQLite (var/demo.db), creates a demo user, an
// API token and three series, pipes simulated sensor readings into them through writeTo, and points
// to the server's own dashboard page (/dashboard/) on those series, until Ctrl-C, which flushes
// pending writes and stops cleanly.
// Run: npm start   (env TIMETRIC_PORT or PORT: the port, default 8080, a free one if taken;
// TIMETRIC_HOST or HOST: the address, default 127.0.0.1; TIMETRIC_DEMO_DIR: data folder, default
// var; TIMETRIC_DEMO_INTERVAL_MS: sensor period, default 1000). One demo per data folder at a time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Subject, interval, map, takeUntil } from 'rxjs';
import { TimetricClient, writeTo, type Series } from 'timetric';
import { createTimetricServer, hashPassword, hashSecret, mintSecret, openSqliteStore } from 'timetric/server';
import { takeDemoLock } from './demoLock.js';

const dir = process.env.TIMETRIC_DEMO_DIR ?? 'var';
const periodMs = Number(process.env.TIMETRIC_DEMO_INTERVAL_MS ?? 1000);
mkdirSync(dir, { recursive: true });
let lock: ReturnType<typeof takeDemoLock>;
try {
  lock = takeDemoLock(dir);
} catch (err) {
  console.error(`npm start: ${(err as Error).message}`);
  process.exit(1);
}
process.on('exit', () => lock.release());

const store = await openSqliteStore(join(dir, 'demo.db'));
const server = createTimetricServer({ store });
const port = Number(process.env.TIMETRIC_PORT || process.env.PORT || 8080);
const host = process.env.TIMETRIC_HOST || process.env.HOST || '127.0.0.1';
let url: string;
try {
  url = await server.listen({ port, host });
} catch {
  url = await server.listen({ port: 0, host }); // the port is taken: any free one
}
lock.update(url);

const user = (await store.getUserByName('demo')) ?? (await store.createUser('demo', await hashPassword('demo')));
const key = `demo-${mintSecret(6)}`;
const secret = mintSecret();
await store.createApiToken({ key, userId: user.id, name: 'demo', secretHash: hashSecret(secret) });
// An OAuth consumer for examples/oauth.ts (created once, kept in the data file).
const consumer = (await store.getConsumer('demo-consumer')) ?? (await store.createConsumer({ key: 'demo-consumer', secret: mintSecret(), name: 'demo', callback: null }));
const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: key, apitoken_secret: secret }, { baseUrl: url });

const sensors = [
  { title: 'Kitchen temperature', caption: '°C', base: 21, swing: 2 },
  { title: 'Humidity', caption: '%', base: 45, swing: 8 },
  { title: 'Power', caption: 'W', base: 350, swing: 150 },
];
const series: Series[] = [];
for (const s of sensors) {
  const found = (await store.searchSeries({ q: s.title, viewerId: user.id, limit: 1, offset: 0 }))[0];
  series.push(found ? client.series(found.id) : await client.createSeries({ title: s.title, caption: s.caption, tags: ['demo'], public: true }));
}
// The server's dashboard page on the demo's series (public, read anonymously: the link carries no
// token): the last 15 minutes, one chart per series. The view lives in the URL's query.
const dashboard = `${url}/dashboard/?s=${series.map((s) => s.id).join(',')}&range=15m&layout=stacked`;
writeFileSync(join(dir, 'demo.json'), JSON.stringify({ url, dashboard, key, secret, consumerKey: consumer.key, consumerSecret: consumer.secret, user: 'demo', password: 'demo', series: series.map((s) => s.id) }, null, 2));

console.log(`Dashboard: ${dashboard}`);
console.log(`API token: key ${key} secret ${secret} (saved in ${join(dir, 'demo.json')})`);
console.log('Ctrl-C stops it.');

// One simulated sensor per series, piped through the library's writeTo operator (batched writes,
// retries). Stopping completes the sources (takeUntil); each writeTo then writes what it holds and
// completes once its last batch is acknowledged.
let ticks = 0;
const stop$ = new Subject<void>();
const done = series.map(
  (s, i) =>
    new Promise<void>((resolve) => {
      const { base, swing } = sensors[i]!;
      interval(periodMs)
        .pipe(
          map((tick): [number, number] => {
            if (i === 0) ticks = tick + 1;
            const value = base + swing * Math.sin(tick / 10 + i) + (Math.random() - 0.5) * swing * 0.1;
            return [Math.floor(Date.now() / 1000), Math.round(value * 100) / 100];
          }),
          takeUntil(stop$),
          writeTo(s, { windowMs: Math.min(periodMs, 1000) }),
        )
        .subscribe({
          error: (err: Error) => {
            console.error(`${sensors[i]!.title}: write failed: ${err.message}`);
            resolve();
          },
          complete: resolve,
        });
    }),
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  stop$.next();
  await Promise.all(done); // every pending reading written
  await server.close();
  await store.close();
  lock.release();
  console.log(`stopped after ${ticks} readings per series`);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
