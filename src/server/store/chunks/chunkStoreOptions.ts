import { logCompactionFailure, type CompactionFailure } from './logCompactionFailure.js';

/** How the stores cut and keep chunks; absent fields default from {@link DEFAULT_CHUNK_STORE_OPTIONS}. */
export interface ChunkStoreOptions {
  /** Points in a full chunk. Writes cut chunks of this size; a shorter last chunk is filled by later appends. Default 4,096. */
  chunkPoints?: number;
  /**
   * Times a chunk ends before, where the point rate allows (see `chunkCut`): seconds from the
   * epoch, coarsest first, each a whole multiple of the last. A chunk ends before the last multiple
   * of the largest alignment its span reaches, so buckets of a multiple of it fold whole chunks
   * from their summaries; no cut leaves fewer than `chunkPoints / 8` points. `[]` cuts by count
   * alone. Default `[86400, 3600, 900, 60]` (1 Hz: a chunk an hour, 3,600 points).
   */
  chunkAlign?: readonly number[];
  /** A write of at most this many points that touches no chunk lands in the uncompressed head. Default 256. */
  headWritePoints?: number;
  /** Head points of one series at which the store compacts them into chunks (after the write, not in it). Default 1,024. */
  compactHeadAt?: number;
  /** Chunks decoded and merged in one step of a write: bounds a write's memory whatever it overlaps. Default 32. */
  chunksPerStep?: number;
  /** How often head points left below `compactHeadAt` are compacted anyway (by age), ms; 0 never. Default 60,000. */
  compactEveryMs?: number;
  /**
   * Told of a background head compaction that failed (its points stay in the head, read as usual,
   * and it is retried), at the 1st, 2nd, 4th, 8th… failure of a series in a row. Default
   * {@link logCompactionFailure}: one line on stderr.
   */
  onCompactionFailure?: (failure: CompactionFailure) => void;
}

/** Defaults of {@link ChunkStoreOptions}. */
export const DEFAULT_CHUNK_STORE_OPTIONS = {
  chunkPoints: 4096,
  chunkAlign: [86400, 3600, 900, 60],
  headWritePoints: 256,
  compactHeadAt: 1024,
  chunksPerStep: 32,
  compactEveryMs: 60_000,
  onCompactionFailure: logCompactionFailure,
} satisfies Required<ChunkStoreOptions>;
