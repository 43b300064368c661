// A server in its own process on a SQLite file, for crash tests: prints one JSON line
// {url, basic} once listening. Usage: tsx spec/helpers/serveFile.ts DB_FILE [MEMORY_LIMIT_POINTS]
import { hashPassword } from '../../src/server/auth/passwords.js';
import { hashSecret } from '../../src/server/auth/secrets.js';
import { createTimetricServer } from '../../src/server/createTimetricServer.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';

const [file, limit] = process.argv.slice(2);
const store = await openSqliteStore(file!, limit ? { memoryLimit: Number(limit) } : {});
if (!(await store.getUserByName('crash'))) {
  const user = await store.createUser('crash', await hashPassword('pw'));
  await store.createApiToken({ key: 'crash-key', userId: user.id, name: 'test', secretHash: hashSecret('crash-secret') });
}
const server = createTimetricServer({ store });
const url = await server.listen({ port: 0 });
console.log(JSON.stringify({ url, basic: `Basic ${Buffer.from('crash-key:crash-secret').toString('base64')}` }));
