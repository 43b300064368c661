import type { Columns } from '../chunks/Columns.js';
import type { ReadCursor } from '../chunks/readChunkedStep.js';
import type { PointColumns, PointRange } from '../Store.js';
import { ColumnQueue } from './ColumnQueue.js';

/** One step of a read (one read transaction): the points from `cursor` in the next `chunks` chunks; undefined once the series is gone. */
export type ReadStep = (cursor: ReadCursor, end: number, chunks: number) => { columns: Columns; next: ReadCursor | undefined } | undefined;

/**
 * A range read as columns of exactly `chunkSize` points (the last may be shorter), `range.limit`
 * points at most, made of read steps: each step asks for just enough chunks for the next piece
 * (not `chunksPerStep` when a page wants 10 points), and a turn of the event loop separates the
 * steps, so a long read holds nothing open and lets other requests run. Decoded columns are
 * handed on as views (typed arrays), copied only where a piece spans two steps.
 */
export async function* readColumnsInSteps(
  step: ReadStep,
  range: PointRange,
  chunkSize: number,
  chunks: { chunkPoints: number; chunksPerStep: number },
): AsyncGenerator<PointColumns> {
  let remaining = range.limit ?? Number.POSITIVE_INFINITY;
  const end = range.end ?? Number.POSITIVE_INFINITY;
  let cursor: ReadCursor | undefined = { time: range.start ?? Number.NEGATIVE_INFINITY, included: true };
  const queue = new ColumnQueue();
  while (cursor && remaining > 0) {
    const want = Math.min(remaining, chunkSize);
    const got = step(cursor, end, Math.max(1, Math.min(chunks.chunksPerStep, Math.ceil(want / chunks.chunkPoints) + 1)));
    if (!got) break;
    cursor = got.next;
    const n = Math.min(got.columns.times.length, remaining);
    queue.push(got.columns, n);
    remaining -= n;
    while (queue.length >= chunkSize) yield queue.take(chunkSize);
    if (cursor && remaining > 0) await new Promise((resolve) => setImmediate(resolve));
  }
  if (queue.length > 0) yield queue.take(queue.length);
}
