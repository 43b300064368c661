// A store for the downsampling specs with small chunks (so a few hundred points make many chunks,
// some inside a bucket, some straddling edges) and no automatic compaction (the spec decides what
// is head and what is chunked): SQLite in memory, or PostgreSQL when TIMETRIC_TEST_STORE=postgres.
import type { ChunkStoreOptions } from '../../src/server/store/chunks/chunkStoreOptions.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';

export const SMALL_CHUNKS: ChunkStoreOptions = { chunkPoints: 16, headWritePoints: 8, compactHeadAt: 1_000_000, compactEveryMs: 0, chunksPerStep: 2 };

export const storeKind = process.env.TIMETRIC_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export async function openDownsampleStore(chunks: ChunkStoreOptions = SMALL_CHUNKS): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (storeKind === 'postgres') {
    const { createPostgresTestDatabase } = await import('../helpers/createPostgresTestStore.js');
    const { openPostgresStore } = await import('../../src/server/store/postgres/openPostgresStore.js');
    const db = await createPostgresTestDatabase();
    const store = await openPostgresStore(db.connectionString, { chunks });
    return {
      store,
      async cleanup() {
        await store.close();
        await db.drop();
      },
    };
  }
  const store = await openSqliteStore(':memory:', { chunks });
  return { store, cleanup: () => store.close() };
}
