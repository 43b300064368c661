import type { ChunkTable } from '../chunks/ChunkTable.js';
import { ChunkWriter } from '../chunks/ChunkWriter.js';
import type { Columns } from '../chunks/Columns.js';
import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { runStepSync } from '../chunks/runStepSync.js';
import { writeChunked } from '../chunks/writeChunked.js';

/**
 * Writes runs of points (each ascending and unique by time, each after the one before) into a
 * series, inside the caller's transaction: a write of one short run may land in the head
 * (`writeChunked`), anything longer goes through one {@link ChunkWriter}, so a sorted upload is
 * encoded straight into full chunks. Returns how many points went to the head; `tally` counts the
 * points that replaced a stored one.
 */
export function writeSortedRuns(table: ChunkTable<number>, key: number, runs: Iterable<Columns>, options: ChunkStoreOptions, tally?: { replaced: number }): number {
  const it = runs[Symbol.iterator]();
  const first = it.next();
  if (first.done) return 0;
  const second = it.next();
  if (second.done) return runStepSync(writeChunked(table, key, first.value, options, tally)) === 'head' ? first.value.times.length : 0;
  const writer = new ChunkWriter(table, key, options);
  runStepSync(writer.add(first.value));
  runStepSync(writer.add(second.value));
  for (let r = it.next(); !r.done; r = it.next()) runStepSync(writer.add(r.value));
  runStepSync(writer.finish());
  if (tally) tally.replaced += writer.replaced;
  return 0;
}
