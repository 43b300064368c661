import { DEFAULT_CHUNK_STORE_OPTIONS, type ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';

/** Options of {@link openPostgresStore}; absent fields default from {@link DEFAULT_POSTGRES_STORE_OPTIONS}. */
export interface PostgresStoreOptions {
  /**
   * Most pooled connections this instance opens (default 20). A staged write (an upload) holds
   * one from its first full chunk (or its first out-of-order points) to its commit, plus one
   * dedicated connection for LISTEN.
   */
  poolSize?: number;
  /** Apply pending migrations when opening, and move the points of the row format into chunks (default true). */
  migrate?: boolean;
  /**
   * How chunks are cut and the head compacted (points a chunk, head thresholds, chunks a step,
   * compaction interval): see {@link ChunkStoreOptions}; absent fields from DEFAULT_CHUNK_STORE_OPTIONS
   * (4,096 points a chunk; head writes up to 256 points; compact at 1,024 head points or after 60 s).
   * A staged write keeps at most three chunks' worth of points in memory (two of its ascending run,
   * one of out-of-order points before they go to the staging table).
   */
  chunks?: ChunkStoreOptions;
  /**
   * Rows of the row format's `points` table moved into chunks per migration transaction, when a
   * database of an earlier release opens: bounds the migration's memory and the work a crash can
   * lose. Points. Default 50,000.
   */
  migrateBatchPoints?: number;
  /**
   * Out-of-order points of a staged write read back per run at commit (sorted, last arrival
   * winning) and merged into the chunks: bounds the commit's memory. Points. Default 50,000.
   */
  stagedRunPoints?: number;
}

/** Defaults of {@link PostgresStoreOptions}. */
export const DEFAULT_POSTGRES_STORE_OPTIONS = {
  poolSize: 20,
  migrate: true,
  chunks: DEFAULT_CHUNK_STORE_OPTIONS,
  migrateBatchPoints: 50_000,
  stagedRunPoints: 50_000,
} satisfies Required<PostgresStoreOptions>;
