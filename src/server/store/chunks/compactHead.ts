import type { ChunkTable } from './ChunkTable.js';
import { ChunkWriter } from './ChunkWriter.js';
import type { ChunkStoreOptions } from './chunkStoreOptions.js';
import { firstIndexAfter } from '../../../codec/firstIndexAfter.js';
import { sliceColumns } from './sliceColumns.js';
import type { Step } from './Step.js';

const ALL = { low: -Infinity, lowIncluded: true, high: Infinity, highIncluded: true };

/**
 * Moves a series' head points into chunks (filling a short chunk before them first). The points
 * and what reads return do not change; returns how many points moved.
 *
 * Head points never lie inside a chunk, so they fall into the gaps between chunks. Each gap's
 * points are written on their own (with the chunk before when that one is short): one head point
 * left in a gap far back (a late point) costs that gap, not a rewrite of every chunk between it
 * and the end of the series — which, written as one run, it did (1 M points: 10 → 377 ms).
 */
export function* compactHead<K>(table: ChunkTable<K>, key: K, options: ChunkStoreOptions = {}): Step<number> {
  const head = yield* table.headIn(key, ALL);
  const n = head.times.length;
  for (let i = 0; i < n; ) {
    // The first chunk after head point i (none meets it): the points before its start share a gap.
    const next = (yield* table.chunksMeeting(key, head.times[i]!, Infinity, 1))[0];
    const j = next ? firstIndexAfter(head.times, next.start, true) : n;
    const writer = new ChunkWriter(table, key, options);
    yield* writer.add(i === 0 && j === n ? head : sliceColumns(head, i, j));
    yield* writer.finish();
    i = j;
  }
  return n;
}
