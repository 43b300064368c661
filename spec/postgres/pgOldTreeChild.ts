// A child process for spec/postgres/migrate-points.spec.ts: the store and server of an OLDER
// source tree (extracted by bench/previousTree.ts) on a PostgreSQL database. It writes a seeded set
// of series through that tree's own store (sorted and out-of-order uploads, replaces, appends,
// increments, edge values and times, an empty and a deleted series), serves the database with that
// tree's server on a port of 127.0.0.1 and prints one JSON line {url, basic, ids}. SIGTERM closes
// server and store and exits. Usage: tsx spec/postgres/pgOldTreeChild.ts ROOT URL
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Store = import('../../src/server/store/Store.js').Store;
type Point = import('../../src/codec/Point.js').Point;
type OpenPostgres = typeof import('../../src/server/store/postgres/openPostgresStore.js');
type CreateServer = typeof import('../../src/server/createTimetricServer.js');
type Secrets = typeof import('../../src/server/auth/secrets.js');

const [root, url] = process.argv.slice(2);
if (!root || !url) {
  console.error('usage: tsx spec/postgres/pgOldTreeChild.ts ROOT URL');
  process.exit(2);
}
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, 'src', path)).href) as Promise<T>;
const { openPostgresStore } = await load<OpenPostgres>('server/store/postgres/openPostgresStore.ts');
const { createTimetricServer } = await load<CreateServer>('server/createTimetricServer.ts');
const { hashSecret } = await load<Secrets>('server/auth/secrets.ts');

const store: Store = await openPostgresStore(url);
const user = await store.createUser('old', 'scrypt$x$y');
const key = 'oldpgkeyoldpgkeyoldpg1';
const secret = 'old-pg-secret-old-pg-secret';
await store.createApiToken({ key, userId: user.id, name: 'old', secretHash: hashSecret(secret) });

let seed = 29;
const random = (): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const ids: Record<string, string> = {};
const create = async (name: string): Promise<string> => {
  const id = `oldpg${name}`.padEnd(22, '0');
  await store.createSeries({ id, ownerId: user.id, title: name, caption: '', description: null, tags: [], public: false, extra: {} });
  ids[name] = id;
  return id;
};
const upload = async (id: string, points: Point[], mode: 'merge' | 'replace' = 'merge'): Promise<void> => {
  const w = await store.openWriter(id, mode);
  for (let i = 0; i < points.length; i += 10_000) await w.stage(points.slice(i, i + 10_000));
  await w.commit();
};

// 1 Hz random walk with 2 decimals, one sorted upload.
let v = 20;
const walk: Point[] = [];
for (let i = 0; i < 30_000; i++) walk.push([1_500_000_000 + i, (v = Math.round((v + random() - 0.5) * 100) / 100)]);
await upload(await create('walk'), walk);

// Edge values and times: 1-9 decimals, before 1970, gaps of years, every kind of value.
const edge = await create('edge');
const values = [-0, 0, 5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 0.1 + 0.2, 123456789.12345679, 2 ** 53, 2 ** 53 + 2, 1 - 2 ** -53, true, false, null];
const times = [-2_208_988_800.5, -1, -0.000000001, 0.1, 1.25, 1_000_000_000.123, 1_500_000_000.123456, 12.123456789, 1_600_000_000.5, 1_700_000_000.12345, 1_800_000_000, 4_102_444_800.000001, 4_102_444_801.99, 9_000_000_000.1];
await upload(edge, times.map((t, i): Point => [t, values[i % values.length]!]));

// value= appends and increments.
const appends = await create('appends');
for (let i = 0; i < 400; i++) await store.appendValue(appends, 1_600_000_000 + i * 0.5, Math.round(random() * 1e4) / 100);
for (let i = 0; i < 50; i++) await store.increment(appends, 1_600_000_300 + i, 1.5);

// Out of order in pieces with replacements at existing times, then a PUT of part of it.
const shuffled = await create('shuffled');
const pts: Point[] = [];
for (let i = 0; i < 5_000; i++) pts.push([Math.floor(random() * 3_000) + (random() < 0.1 ? 0.5 : 0), random() < 0.05 ? null : Math.round(random() * 1e5) / 1e3]);
await upload(shuffled, pts);
const put = await create('put');
await upload(put, pts.slice(0, 2_000));
await upload(put, pts.slice(2_000, 2_500), 'replace');

await create('empty');
const gone = await create('gone');
await upload(gone, walk.slice(0, 100));
await store.deleteSeries(gone);

const server = createTimetricServer({ store });
const served = await server.listen({ port: 0, host: '127.0.0.1' });
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
console.log(JSON.stringify({ url: served, basic: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`, ids }));
