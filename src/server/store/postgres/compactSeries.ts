import type { Pool } from 'pg';
import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { compactHead } from '../chunks/compactHead.js';
import { runStepAsync } from '../chunks/runStepAsync.js';
import { inTransaction } from './inTransaction.js';
import { PostgresChunkTable } from './PostgresChunkTable.js';
import { seriesKey } from './seriesKey.js';

/**
 * Moves one series' head points into chunks, in one transaction under the series' row lock (the
 * lock every write takes first, so no write of any instance merges into the same chunks at once; a
 * second compaction waits, then finds the head empty). The points do not change, so neither does
 * the version, and no change is announced. A crash before COMMIT leaves everything as it was.
 *
 * `minHeadPoints` skips a series whose head, by `series.head_points` read under the lock, holds
 * fewer: a compaction asked for by size finds nothing to do when another one ran since (writers
 * that saw the count over the threshold before that one took the lock all ask).
 *
 * @returns How many points moved (0 when the series does not exist, was skipped or its head is empty).
 */
export function compactSeries(pool: Pool, id: string, options: ChunkStoreOptions, minHeadPoints = 0): Promise<number> {
  return inTransaction(pool, async (client) => {
    const locked = await client.query<[number]>({
      name: 'tt_lock_series',
      text: 'SELECT head_points FROM series WHERE id = $1 FOR NO KEY UPDATE',
      values: [id],
      rowMode: 'array',
    });
    const row = locked.rows[0];
    if (!row || row[0] < minHeadPoints) return 0;
    const key = seriesKey(id);
    const moved = await runStepAsync(compactHead(new PostgresChunkTable(client, key), key, options));
    await client.query({
      name: 'tt_compacted',
      text: 'UPDATE series SET head_points = 0, head_since = NULL WHERE id = $1 AND (head_points <> 0 OR head_since IS NOT NULL)',
      values: [id],
    });
    return moved;
  });
}
