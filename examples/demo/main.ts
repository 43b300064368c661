// Live demo: starts the embedded Timetric server on SQLite (var/demo.db), creates a demo user, an
// API token and three series, and feeds them simulated sensor readings through the client until
// Ctrl-C. Run: npm start   (env PORT: the port, default 8080; TIMETRIC_DEMO_DIR: data folder, default var)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { TimetricClient, type Series } from 'timetric';
import { createTimetricServer, hashPassword, hashSecret, mintSecret, openSqliteStore } from 'timetric/server';

const dir = process.env.TIMETRIC_DEMO_DIR ?? 'var';
mkdirSync(dir, { recursive: true });
const store = await openSqliteStore(join(dir, 'demo.db'));
const server = createTimetricServer({ store });
let url: string;
try {
  url = await server.listen({ port: Number(process.env.PORT ?? 8080), host: '127.0.0.1' });
} catch {
  url = await server.listen({ port: 0, host: '127.0.0.1' }); // 8080 taken: any free port
}

const user = (await store.getUserByName('demo')) ?? (await store.createUser('demo', await hashPassword('demo')));
const key = `demo-${mintSecret(6)}`;
const secret = mintSecret();
await store.createApiToken({ key, userId: user.id, name: 'demo', secretHash: hashSecret(secret) });
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
writeFileSync(join(dir, 'demo.json'), JSON.stringify({ url, key, secret, series: series.map((s) => s.id) }, null, 2));

console.log(`Timetric demo server listening on ${url}`);
console.log(`API token: key ${key}  secret ${secret}   (also in ${join(dir, 'demo.json')})`);
for (const [i, s] of series.entries()) console.log(`  ${sensors[i]!.title.padEnd(20)} ${url}/series/${s.id}/csv/`);
console.log(`Try: curl -u ${key}:${secret} ${url}/series/${series[0]!.id}/value/json/`);
console.log('Ctrl-C stops.');

let tick = 0;
const timer = setInterval(() => {
  tick++;
  const now = Date.now() / 1000;
  for (const [i, s] of series.entries()) {
    const { base, swing } = sensors[i]!;
    const value = Math.round((base + swing * Math.sin(tick / 10 + i) + (Math.random() - 0.5) * swing * 0.1) * 100) / 100;
    lastValueFrom(s.update([[now, value]])).catch((err: Error) => console.error(`write failed: ${err.message}`));
  }
}, 1000);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  await server.close();
  await store.close();
  console.log(`stopped after ${tick} readings per series`);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
