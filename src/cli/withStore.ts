import type { Store } from '../server/store/Store.js';
import { loadServer } from './loadServer.js';

/**
 * Opens the store named by `db` (a SQLite file path or a `postgres://` URL), runs `work` with it and
 * closes it, whether `work` succeeds or fails.
 *
 * @param db - What `--db` said.
 * @param work - The command's work.
 * @returns What `work` returns.
 */
export async function withStore<T>(db: string, work: (store: Store) => Promise<T>): Promise<T> {
  const { openStore } = await loadServer();
  const store = await openStore(db);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
