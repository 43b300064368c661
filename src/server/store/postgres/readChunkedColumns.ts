import type { Pool } from 'pg';
import { readChunkedStep, type ReadCursor } from '../chunks/readChunkedStep.js';
import { runStepAsync } from '../chunks/runStepAsync.js';
import { sliceColumns } from '../chunks/sliceColumns.js';
import type { PointColumns, PointRange } from '../Store.js';
import { ColumnsRechunker } from './ColumnsRechunker.js';
import { inTransaction } from './inTransaction.js';
import { PostgresChunkTable } from './PostgresChunkTable.js';

/** A read step's transaction: its two statements (chunks, then head points) see one snapshot. */
export const READ_SNAPSHOT = 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY';

/**
 * A range of a series as columns in pieces of `chunkSize` points. Each step (the next
 * `chunksPerStep` chunks and the head points among them, see {@link readChunkedStep}) is its own
 * short REPEATABLE READ transaction on a pooled connection, released before the step's points are
 * handed on: a slow consumer holds no connection, and a compaction or write between two steps is
 * seen whole or not at all by each step (the cursor carries on after the last time read).
 */
export async function* readChunkedColumns(pool: Pool, key: string, range: PointRange, chunkSize: number, chunksPerStep: number): AsyncIterable<PointColumns> {
  let remaining = range.limit ?? Number.POSITIVE_INFINITY;
  const end = range.end ?? Number.POSITIVE_INFINITY;
  let cursor: ReadCursor | undefined = { time: range.start ?? Number.NEGATIVE_INFINITY, included: true };
  const pieces = new ColumnsRechunker(chunkSize);
  while (cursor && remaining > 0) {
    const at: ReadCursor = cursor;
    const step = await inTransaction(pool, (client) => runStepAsync(readChunkedStep(new PostgresChunkTable(client, key), key, at, end, chunksPerStep)), READ_SNAPSHOT);
    cursor = step.next;
    const columns = step.columns.times.length > remaining ? sliceColumns(step.columns, 0, remaining) : step.columns;
    remaining -= columns.times.length;
    for (const piece of pieces.push(columns)) yield piece;
  }
  const last = pieces.flush();
  if (last) yield last;
}
