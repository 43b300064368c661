// Starts the real Timetric server on 127.0.0.1 port 0 for a spec file. The store is SQLite in
// memory, or PostgreSQL when TIMETRIC_TEST_STORE=postgres (a throwaway cluster, see
// createPostgresTestStore). Also mints users and API tokens straight through the store.
import { hashPassword } from '../../src/server/auth/passwords.js';
import { hashSecret, mintKey, mintSecret } from '../../src/server/auth/secrets.js';
import { createTimetricServer, type TimetricServer } from '../../src/server/createTimetricServer.js';
import type { TimetricServerOptions } from '../../src/server/http/serverOptions.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';

export interface TestUser {
  id: number;
  name: string;
  password: string;
  /** API token. */
  key: string;
  secret: string;
  /** `Authorization` header value for the token. */
  basic: string;
}

export interface TestServer {
  url: string;
  store: Store;
  server: TimetricServer;
  /** Creates a user with a password and one API token. */
  user(name?: string): Promise<TestUser>;
  close(): Promise<void>;
}

let users = 0;

export async function createTestStore(): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (process.env.TIMETRIC_TEST_STORE === 'postgres') {
    const { createPostgresTestStore } = await import('./createPostgresTestStore.js');
    return createPostgresTestStore();
  }
  const store = await openSqliteStore(':memory:');
  return { store, cleanup: () => store.close() };
}

export async function startServer(options: Partial<TimetricServerOptions> = {}): Promise<TestServer> {
  const made = options.store ? { store: options.store, cleanup: () => Promise.resolve() } : await createTestStore();
  const store = made.store;
  const cleanup = () => made.cleanup();
  const server = createTimetricServer({ ...options, store });
  const url = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    store,
    server,
    async user(name = `user${++users}`) {
      const password = `pw-${name}`;
      const user = await store.createUser(name, await hashPassword(password));
      const key = mintKey();
      const secret = mintSecret();
      await store.createApiToken({ key, userId: user.id, name: 'test', secretHash: hashSecret(secret) });
      return { id: user.id, name, password, key, secret, basic: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` };
    },
    async close() {
      await server.close();
      await cleanup();
    },
  };
}
