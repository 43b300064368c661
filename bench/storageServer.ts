// A Timetric server in its own process for the storage benchmark, built from the source tree at
// ROOT (this working tree, or an older commit extracted by bench/previousTree.ts), on the store
// DB names (a SQLite file path or a PostgreSQL URL: `openStore` of that tree, its defaults). Makes
// one user with one API token, listens on a port of 127.0.0.1, and prints one JSON line
// {url, key, secret}. SIGTERM closes the server and the store, then exits.
// Control lines on stdin, one JSON answer line each on stdout, for stores that have them (the
// optional `Store.compact` / `Store.storageStats`; an older store answers null):
//   {"op":"compact","id":ID} → {"ok":true,"compacted":true|false}
//   {"op":"stats","id":ID}   → {"ok":true,"stats":StorageStats|null}
//   {"op":"cpu"}              → {"ok":true,"user":µs,"system":µs} (process.cpuUsage() so far)
// Usage: tsx bench/storageServer.ts ROOT DB
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

type OpenStore = typeof import('../src/server/store/openStore.js');
type CreateServer = typeof import('../src/server/createTimetricServer.js');
type Passwords = typeof import('../src/server/auth/passwords.js');
type Secrets = typeof import('../src/server/auth/secrets.js');

const [root, db] = process.argv.slice(2);
if (!root || !db) {
  console.error('usage: tsx bench/storageServer.ts ROOT DB');
  process.exit(2);
}
const load = <T>(path: string): Promise<T> => import(pathToFileURL(join(root, 'src', path)).href) as Promise<T>;
const { openStore } = await load<OpenStore>('server/store/openStore.ts');
const { createTimetricServer } = await load<CreateServer>('server/createTimetricServer.ts');
const { hashPassword } = await load<Passwords>('server/auth/passwords.ts');
const { hashSecret } = await load<Secrets>('server/auth/secrets.ts');

const store = await openStore(db);
const key = 'benchkeybenchkeybench1';
const secret = 'bench-secret-bench-secret';
if (!(await store.getUserByName('bench'))) {
  const user = await store.createUser('bench', await hashPassword('bench'));
  await store.createApiToken({ key, userId: user.id, name: 'bench', secretHash: hashSecret(secret) });
}
const server = createTimetricServer({ store });
const url = await server.listen({ port: 0, host: '127.0.0.1' });
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => store.close())
    .then(() => process.exit(0));
});
console.log(JSON.stringify({ url, key, secret }));

// Read structurally: the Store type of an older tree may lack these optional methods.
const optional = store as { compact?: (id?: string) => Promise<void>; storageStats?: (id?: string) => Promise<unknown> };
createInterface({ input: process.stdin }).on('line', (line) => {
  const answer = async (): Promise<unknown> => {
    const { op, id } = JSON.parse(line) as { op: string; id?: string };
    if (op === 'compact') {
      if (optional.compact) await optional.compact(id);
      return { ok: true, compacted: Boolean(optional.compact) };
    }
    if (op === 'cpu') return { ok: true, ...process.cpuUsage() };
    if (op === 'stats') return { ok: true, stats: optional.storageStats ? await optional.storageStats(id) : null };
    throw new Error(`unknown op ${op}`);
  };
  answer().then(
    (a) => console.log(JSON.stringify(a)),
    (err: unknown) => console.log(JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) })),
  );
});
