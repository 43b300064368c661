import type { Pool } from 'pg';
import type { from as copyFromFn } from 'pg-copy-streams';
import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import type { PgChangeChannel } from './PgChangeChannel.js';

/** What the PostgreSQL store's writers share: the pool, change notifications, chunk options, the compaction trigger. */
export interface PgWriteContext {
  readonly pool: Pool;
  readonly changes: PgChangeChannel;
  readonly copyFrom: typeof copyFromFn;
  readonly chunks: Required<ChunkStoreOptions>;
  /** Staged points read back at commit per run (see PostgresStoreOptions.stagedRunPoints). */
  readonly stagedRunPoints: number;
  /** Called after a commit that put points in a series' head, with the series' head count since its last compaction. */
  headWritten(id: string, headPoints: number): void;
}
