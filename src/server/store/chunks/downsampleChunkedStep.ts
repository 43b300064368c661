import { decodeChunk, type ChunkScratch } from '../../../codec/chunk/decodeChunk.js';
import type { Downsampler } from '../../../codec/downsample/Downsampler.js';
import type { DownsampleTable } from './downsampleTable.js';
import { firstIndexAfter } from '../../../codec/firstIndexAfter.js';
import type { ReadCursor } from './readChunkedStep.js';
import type { Step } from './Step.js';

/** Most chunk summaries one step lists, per chunk it may decode. */
export const SUMMARIES_PER_DECODE = 16;

/** Where the next step goes on (undefined once nothing lies beyond) and how many chunks this one folded. */
export interface DownsampleStepResult {
  next: ReadCursor | undefined;
  folded: number;
}

/**
 * One step of a downsampled read: folds the chunks from `cursor` to `end` (exclusive) and the head
 * points among them into `ds`, in time order, and returns where the next step goes on (undefined
 * once nothing lies beyond). A chunk that lies inside one bucket (M4: one column) is folded from its
 * summary (its count of numbers for a mean, the times of its min and max for M4); only chunks that
 * straddle an edge — of a bucket, a column, or the range — are decoded. A step
 * decodes at most `chunksPerStep` chunks, so each is short and self-contained (a store runs it in
 * one read transaction, and a year of summaries costs a few hundred of them, not the points). It
 * lists at most `limit` summaries (the caller sizes it from how many the step before used).
 * Chunks are decoded into `scratch`, which `ds` must not keep (a downsampler copies what it keeps).
 */
export function* downsampleChunkedStep<K>(
  table: DownsampleTable<K>,
  key: K,
  ds: Downsampler,
  cursor: ReadCursor,
  end: number,
  chunksPerStep: number,
  limit = chunksPerStep * SUMMARIES_PER_DECODE,
  scratch: ChunkScratch = { times: new Float64Array(0), numbers: new Float64Array(0) },
): Step<DownsampleStepResult> {
  const listed = yield* table.chunkSummaries(key, cursor.time, end, limit + 1);
  // A chunk that ends exactly at an excluded cursor was folded by the step before.
  const chunks = (listed[0] && !cursor.included && listed[0].end === cursor.time ? listed.slice(1) : listed).slice(0, limit);
  const capped = chunks.length === limit;
  const high = capped ? chunks[chunks.length - 1]!.end : end;
  const head = yield* table.headIn(key, { low: cursor.time, lowIncluded: cursor.included, high, highIncluded: capped });
  let h = 0;
  let decoded = 0;
  let next: ReadCursor | undefined = capped && high < end ? { time: high, included: false } : undefined;
  let folded = chunks.length;
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    // Head points lie between chunks, never inside one.
    for (; h < head.times.length && head.times[h]! < chunk.start; h++) ds.point(head.times[h]!, head.values[h]!);
    if (ds.takesSummary(chunk)) {
      ds.summary(chunk);
    } else {
      const { times, values } = decodeChunk(yield* table.chunkData(chunk.ref), {}, scratch);
      const from = chunk.start < cursor.time || (!cursor.included && chunk.start === cursor.time) ? firstIndexAfter(times, cursor.time, cursor.included) : 0;
      const to = chunk.end >= end ? firstIndexAfter(times, end, true) : times.length;
      ds.points(times, values, from, to);
      decoded++;
    }
    if (decoded >= chunksPerStep && i < chunks.length - 1) {
      // Enough decoding for one step: the next goes on after this chunk (its head points included).
      next = { time: chunk.end, included: false };
      h = head.times.length;
      folded = i + 1;
      break;
    }
  }
  for (; h < head.times.length; h++) ds.point(head.times[h]!, head.values[h]!);
  return { next, folded };
}
