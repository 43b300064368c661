import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { createPostgresTestStore } from '../helpers/createPostgresTestStore.js';
import { describeStoreConformance } from './storeConformance.js';

describeStoreConformance('postgres', async () => {
  const fx = await createPostgresTestStore();
  return { ...fx, openSibling: () => openPostgresStore(fx.connectionString) };
});

describe('PostgreSQL store: the LISTEN connection', () => {
  let fx: Awaited<ReturnType<typeof createPostgresTestStore>>;
  let other: Store;
  before(async () => {
    fx = await createPostgresTestStore();
    other = await openPostgresStore(fx.connectionString);
  });
  after(async () => {
    await other.close();
    await fx.cleanup();
  });

  it('reconnects after the server drops it, and changes from other instances arrive again', async () => {
    const id = 'listenReconnect0000000';
    await fx.store.createSeries({ id, ownerId: 1, title: 't', caption: 'c', description: null, tags: [], public: false, extra: {} });
    const heard: string[] = [];
    const off = fx.store.onChange((s) => heard.push(s));
    const admin = new pg.Client({ connectionString: fx.connectionString });
    await admin.connect();
    try {
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN timetric_changes'`,
      );
      assert.equal(killed.rowCount, 2);
      // Notifications sent while nobody listens are lost by design; keep writing until one arrives.
      const deadline = Date.now() + 10_000;
      for (let t = 1; heard.length === 0; t++) {
        assert.ok(Date.now() < deadline, 'no change arrived after the LISTEN connection was dropped');
        await other.appendValue(id, t, t);
        await new Promise((r) => setTimeout(r, 50));
      }
      // Both stores are listening again (the other one may still be waiting for its backoff).
      for (let n = 0; n !== 2; ) {
        assert.ok(Date.now() < deadline, 'the LISTEN connections did not come back');
        const back = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN timetric_changes'`,
        );
        n = back.rows[0]!.n;
        if (n !== 2) await new Promise((r) => setTimeout(r, 50));
      }
      assert.ok(heard.every((s) => s === id));
    } finally {
      off();
      await admin.end();
    }
  });
});
