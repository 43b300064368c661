import type { ChunkTable } from './ChunkTable.js';
import { ChunkWriter } from './ChunkWriter.js';
import type { ChunkStoreOptions } from './chunkStoreOptions.js';
import type { Step } from './Step.js';

const ALL = { low: -Infinity, lowIncluded: true, high: Infinity, highIncluded: true };

/**
 * Moves a series' head points into chunks (filling its short last chunk first). The points and
 * what reads return do not change; returns how many points moved.
 */
export function* compactHead<K>(table: ChunkTable<K>, key: K, options: ChunkStoreOptions = {}): Step<number> {
  const head = yield* table.headIn(key, ALL);
  if (head.times.length === 0) return 0;
  const writer = new ChunkWriter(table, key, options);
  yield* writer.add(head);
  yield* writer.finish();
  return head.times.length;
}
