import type { ChunkSummary } from '../../../codec/chunk/ChunkSummary.js';
import type { ChunkTable } from './ChunkTable.js';
import type { Step } from './Step.js';

/** A stored chunk's summary and the row that holds it (`ref`, as {@link ChunkTable} names chunks). */
export interface ChunkSummaryRow extends ChunkSummary {
  readonly ref: number;
}

/**
 * The numeric summary columns of a `chunks` row, in the order both stores select them
 * (`start_ts, end_ts, count, min, max, sum, numbers, min_ts, max_ts`).
 */
export type SummaryColumns = [
  start: number,
  end: number,
  count: number,
  min: number | null,
  max: number | null,
  sum: number | null,
  numbers: number,
  minTime: number | null,
  maxTime: number | null,
];

/**
 * What a downsampled read needs of a store's chunk SQL: the chunks' summaries without their
 * bytes, then the bytes of the few chunks it decodes, and the head points.
 */
export interface DownsampleTable<K = number> extends Pick<ChunkTable<K>, 'chunkData' | 'headIn'> {
  /**
   * Summaries of the chunks whose `[start, end]` meets `[from, to]`, ascending, at most `limit`
   * (the first ones), as {@link ChunkTable.chunksMeeting} finds them: index seeks, no scan.
   */
  chunkSummaries(key: K, from: number, to: number, limit: number): Step<ChunkSummaryRow[]>;
}
