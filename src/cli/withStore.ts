import type { Store } from '../server/store/Store.js';

/**
 * Opens the store named by `db` (a SQLite file path or a `postgres://` URL), runs `work` with it and
 * closes it, whether `work` succeeds or fails.
 *
 * @param db - What `--db` said.
 * @param work - The command's work.
 * @returns What `work` returns.
 */
export async function withStore<T>(db: string, work: (store: Store) => Promise<T>): Promise<T> {
  // Imported here, not at the top: the client commands never load the stores (see runTimetric).
  const { openStore } = await import('../server/store/openStore.js');
  const store = await openStore(db);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
