import { nextTimeAfter } from '../../../codec/nextTimeAfter.js';
import type { ChunkTable } from './ChunkTable.js';
import { ChunkWriter } from './ChunkWriter.js';
import type { Columns } from './Columns.js';
import { DEFAULT_CHUNK_STORE_OPTIONS, type ChunkStoreOptions } from './chunkStoreOptions.js';
import type { Step } from './Step.js';

/**
 * Writes points (ascending, unique by time) into a series: a short write that meets no chunk lands
 * in the uncompressed head (one row a point, cheap to append); anything else is merged into the
 * chunks it touches. Returns where it went, so the store can count head points and compact later;
 * with `tally`, also counts the points that replaced a stored one.
 */
export function* writeChunked<K>(
  table: ChunkTable<K>,
  key: K,
  points: Columns,
  options: ChunkStoreOptions = {},
  /** When given, counts the points that replaced a stored point (costs a head read on the head path). */
  tally?: { replaced: number },
): Step<'head' | 'chunks'> {
  const n = points.times.length;
  if (n === 0) return 'head';
  if (n <= (options.headWritePoints ?? DEFAULT_CHUNK_STORE_OPTIONS.headWritePoints)) {
    // One index seek, not chunksMeeting's two (a single-point append pays it every time): chunks
    // are disjoint, so only the chunk with the greatest start at or before the last time can
    // meet the run, and it does when it reaches the first time.
    const last = yield* table.chunkBefore(key, nextTimeAfter(points.times[n - 1]!));
    if (last === undefined || last.end < points.times[0]!) {
      if (tally) tally.replaced += sameTimes(yield* table.headIn(key, { low: points.times[0]!, lowIncluded: true, high: points.times[n - 1]!, highIncluded: true }), points);
      yield* table.upsertHead(key, points);
      return 'head';
    }
  }
  const writer = new ChunkWriter(table, key, { ...DEFAULT_CHUNK_STORE_OPTIONS, ...options });
  yield* writer.add(points);
  yield* writer.finish();
  if (tally) tally.replaced += writer.replaced;
  return 'chunks';
}

/** How many times two ascending runs share (linear). */
function sameTimes(a: Columns, b: Columns): number {
  let i = 0;
  let j = 0;
  let same = 0;
  while (i < a.times.length && j < b.times.length) {
    const x = a.times[i]!;
    const y = b.times[j]!;
    if (x === y) same++;
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return same;
}
