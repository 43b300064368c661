import type { PointRange } from '../Store.js';
import type { ChunkTable } from './ChunkTable.js';
import { readChunkedStep, type ReadCursor } from './readChunkedStep.js';
import type { Step } from './Step.js';

/**
 * The time of the point right after the first `limit` points of `range` (where the next page
 * starts), or undefined when the range holds at most `limit` points. Reads at most `limit + 1`
 * points' worth of chunks.
 */
export function* pageEndChunked<K>(table: ChunkTable<K>, key: K, range: PointRange, limit: number, chunksPerStep: number): Step<number | undefined> {
  let cursor: ReadCursor = { time: range.start ?? -Infinity, included: true };
  const end = range.end ?? Infinity;
  let seen = 0;
  for (;;) {
    const { columns, next } = yield* readChunkedStep(table, key, cursor, end, chunksPerStep);
    const n = columns.times.length;
    if (seen + n > limit) return columns.times[limit - seen]!;
    seen += n;
    if (!next) return undefined;
    cursor = next;
  }
}
