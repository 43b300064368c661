import type { Point } from '../../../codec/Point.js';
import type { ChunkSummary } from '../../../codec/chunk/ChunkSummary.js';
import type { ChunkMeta, ChunkWithData } from './ChunkMeta.js';
import type { Columns } from './Columns.js';
import type { Step } from './Step.js';

/** Bounds of a time range: `low`/`high` with whether each is included. */
export interface TimeBounds {
  low: number;
  lowIncluded: boolean;
  high: number;
  highIncluded: boolean;
}

/**
 * The SQL a store supplies for chunked points; everything else (what to merge, cut, encode) is
 * the shared chunk logic. Every method works on one series, named by its `key` (SQLite: an
 * integer; PostgreSQL: the int8 key as decimal text, how pg passes it exactly).
 *
 * The invariant the logic keeps: a series' chunks are disjoint (no chunk's `[start, end]` meets
 * another's) and no head point lies inside a chunk's `[start, end]`, so every timestamp is stored
 * once, and a read merges chunks and head by time alone.
 */
export interface ChunkTable<K = number> {
  /**
   * Chunks whose `[start, end]` meets `[from, to]`, ascending, at most `limit` (the first ones).
   * Chunks are disjoint, so these are the chunks starting in `[from, to]` and at most one chunk
   * starting before `from`.
   */
  chunksMeeting(key: K, from: number, to: number, limit: number): Step<ChunkMeta[]>;
  /** Like {@link chunksMeeting}, with the bytes. */
  chunksMeetingWithData(key: K, from: number, to: number, limit: number): Step<ChunkWithData[]>;
  /** The chunk with the greatest start before `time`, if any. */
  chunkBefore(key: K, time: number): Step<ChunkMeta | undefined>;
  chunkData(ref: number): Step<Uint8Array>;
  insertChunk(key: K, summary: ChunkSummary, data: Uint8Array): Step<void>;
  deleteChunks(refs: readonly number[]): Step<void>;
  /** Head points within the bounds, ascending. */
  headIn(key: K, bounds: TimeBounds): Step<Columns>;
  /** Deletes the head points within the bounds; returns how many. */
  deleteHeadIn(key: K, bounds: TimeBounds): Step<number>;
  /** Writes points into the head, replacing any at the same time. */
  upsertHead(key: K, points: Columns): Step<void>;
  /** The last point of the last chunk, if any (from the chunk's summary, no decoding). */
  lastChunkPoint(key: K): Step<Point | undefined>;
  /** The head point with the greatest time, if any. */
  lastHeadPoint(key: K): Step<Point | undefined>;
  /** Removes every chunk and head point of the series. */
  deleteAll(key: K): Step<void>;
}
