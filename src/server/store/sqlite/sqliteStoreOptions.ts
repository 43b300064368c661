import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';

/** Options of `openSqliteStore`; absent fields default from {@link DEFAULT_SQLITE_STORE_OPTIONS}. */
export interface SqliteStoreOptions {
  /**
   * `'FULL'` (default): an acknowledged write survives a power loss, not only a crash of the process.
   * `'NORMAL'`: faster single-point writes (~10×); a power loss may drop the last acknowledged ones.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * Points a staged write (an upload) keeps in memory before it spills them to a temporary table
   * of its connection (17 bytes a point in memory). Default 2,000,000 (≈ 34 MB).
   */
  memoryLimit?: number;
  /**
   * Points a commit reads from the temporary table at a time, and points a migration of the
   * row format (`points` table, before storage #17) moves per transaction (rounded up to whole
   * chunks). Bounds the memory of both. Default 50,000.
   */
  batchPoints?: number;
  /** How chunks are cut and the head compacted (see `ChunkStoreOptions`); defaults there. */
  chunks?: ChunkStoreOptions;
  /**
   * Called after each batch of a row-format migration with the points moved so far and the points
   * left (progress for a long first open; specs use it). Default: none.
   */
  onMigrationProgress?: ((moved: number, left: number) => void) | undefined;
}

/** Defaults of {@link SqliteStoreOptions}. */
export const DEFAULT_SQLITE_STORE_OPTIONS = {
  synchronous: 'FULL',
  memoryLimit: 2_000_000,
  batchPoints: 50_000,
  chunks: {},
  onMigrationProgress: undefined,
} satisfies Required<SqliteStoreOptions>;
