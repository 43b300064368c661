import { decodeChunk } from '../../../codec/chunk/decodeChunk.js';
import type { PointRange } from '../Store.js';
import type { ChunkTable } from './ChunkTable.js';
import { firstIndexAfter } from '../../../codec/firstIndexAfter.js';
import type { Step } from './Step.js';

/**
 * The time of the point right after the first `limit` points of `range` (where the next page
 * starts), or undefined when the range holds at most `limit` points. Counts from the chunks'
 * summaries: only a chunk cut by the range's ends or holding the answer is decoded, so a page of
 * any size costs a few index reads and at most three chunk decodes.
 */
export function* pageEndChunked<K>(table: ChunkTable<K>, key: K, range: PointRange, limit: number, chunksPerStep: number): Step<number | undefined> {
  let low = range.start ?? -Infinity;
  let lowIncluded = true;
  const end = range.end ?? Infinity;
  let seen = 0;
  for (;;) {
    const listed = yield* table.chunksMeeting(key, low, end, chunksPerStep + 1);
    // A chunk that ends exactly at an excluded bound was counted by the step before.
    const chunks = (listed[0] && !lowIncluded && listed[0].end === low ? listed.slice(1) : listed).slice(0, chunksPerStep);
    const capped = chunks.length === chunksPerStep;
    const high = capped ? chunks[chunks.length - 1]!.end : end;
    const head = (yield* table.headIn(key, { low, lowIncluded, high, highIncluded: capped })).times;
    let h = 0;
    for (const chunk of chunks) {
      // Head points lie between chunks, never inside one.
      for (; h < head.length && head[h]! < chunk.start; h++, seen++) if (seen === limit) return head[h]!;
      const whole = (chunk.start > low || (lowIncluded && chunk.start === low)) && chunk.end < end;
      if (whole && seen + chunk.count <= limit) {
        seen += chunk.count;
        continue;
      }
      const { times } = decodeChunk(yield* table.chunkData(chunk.ref));
      const from = firstIndexAfter(times, low, lowIncluded);
      const to = firstIndexAfter(times, end, true);
      if (seen + (to - from) > limit) return times[from + limit - seen]!;
      seen += to - from;
    }
    for (; h < head.length; h++, seen++) if (seen === limit) return head[h]!;
    if (!capped || high >= end) return undefined;
    low = high;
    lowIncluded = false;
  }
}
