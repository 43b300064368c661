import { decodeChunk } from '../../../codec/chunk/decodeChunk.js';
import type { ChunkTable } from './ChunkTable.js';
import type { Columns } from './Columns.js';
import { concatColumns } from './concatColumns.js';
import { firstIndexAfter } from '../../../codec/firstIndexAfter.js';
import { mergeColumns } from './mergeColumns.js';
import { sliceColumns } from './sliceColumns.js';
import type { Step } from './Step.js';

/** Where a read goes on from: after `time`, or at it when `included`. */
export interface ReadCursor {
  time: number;
  included: boolean;
}

/**
 * One step of a range read: the points from `cursor` to `end` (exclusive) in the next
 * `chunksPerStep` chunks and the head points among them, merged by time: every stored point from
 * `cursor` up to `next` (undefined once nothing lies beyond). Each step is short and self-contained (a store runs it in one read
 * transaction), so a long read holds nothing open between steps and sees each step's snapshot.
 */
export function* readChunkedStep<K>(
  table: ChunkTable<K>,
  key: K,
  cursor: ReadCursor,
  end: number,
  chunksPerStep: number,
): Step<{ columns: Columns; next: ReadCursor | undefined }> {
  const listed = yield* table.chunksMeetingWithData(key, cursor.time, end, chunksPerStep + 1);
  // A chunk that ends exactly at an excluded cursor was read by the step before.
  const chunks = (listed[0] && !cursor.included && listed[0].end === cursor.time ? listed.slice(1) : listed).slice(0, chunksPerStep);
  const capped = chunks.length === chunksPerStep;
  const high = capped ? chunks[chunks.length - 1]!.end : end;
  const head = yield* table.headIn(key, { low: cursor.time, lowIncluded: cursor.included, high, highIncluded: capped });
  const parts: Columns[] = [];
  for (const chunk of chunks) {
    const decoded = decodeChunk(chunk.data);
    const from = chunk.start < cursor.time || (!cursor.included && chunk.start === cursor.time) ? firstIndexAfter(decoded.times, cursor.time, cursor.included) : 0;
    const to = chunk.end >= end ? firstIndexAfter(decoded.times, end, true) : decoded.times.length;
    parts.push(from === 0 && to === decoded.times.length ? decoded : sliceColumns(decoded, from, to));
  }
  // Chunks are disjoint and ascending: appending them is merging them (one copy, not one a chunk).
  let columns = concatColumns(parts);
  if (head.times.length) columns = columns.times.length === 0 ? head : mergeColumns(columns, head);
  return { columns, next: capped && high < end ? { time: high, included: false } : undefined };
}
