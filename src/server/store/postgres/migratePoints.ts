import type { Pool } from 'pg';
import type { to as copyToFn } from 'pg-copy-streams';
import { ChunkWriter } from '../chunks/ChunkWriter.js';
import type { ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { runStepAsync } from '../chunks/runStepAsync.js';
import { sliceColumns } from '../chunks/sliceColumns.js';
import { copyOutRows } from './copyOutRows.js';
import { float8Literal } from './float8Literal.js';
import { inTransaction } from './inTransaction.js';
import { PostgresChunkTable } from './PostgresChunkTable.js';
import { pgNumber } from './pgValue.js';

/** Key of the advisory lock that serialises the batches of instances migrating at once ("timf"). */
const POINTS_MIGRATION_LOCK = 0x74696d66;
/** Below every int8 key: the cursor before the first row. */
const FIRST_KEY = '-9223372036854775808';

/** What {@link migratePoints} did. */
export interface PointsMigration {
  /** Points moved into chunks by this call. */
  moved: number;
  /** Rows of series that no longer exist (unreachable already), removed. */
  orphaned: number;
  /** Batches (transactions) this call committed. */
  batches: number;
}

type Outcome = { done: true } | { done: false; restart: boolean; last: [string, number]; moved: number; orphaned: number };

/**
 * Moves the points of the row format (the `points` table of releases before pg-003) into chunks,
 * in batches of `batchPoints` rows in `(series_id, ts)` order, each its own transaction: the batch's
 * rows are read (COPY), written into their series' chunks by the shared {@link ChunkWriter} under
 * the series' row lock, and deleted, then COMMIT. Memory stays at one batch; a crash loses at most
 * the batch in flight, which the next open does again (nothing of it was committed). Once no row
 * is left, `points` is dropped, under an ACCESS EXCLUSIVE lock after a last check (rows written
 * behind the cursor meanwhile start another pass).
 *
 * Every batch takes a transaction-scoped advisory lock first, so instances opening at once take
 * turns, and each batch reads what the one before left: no batch is migrated twice. Each instance
 * keeps its own cursor (everything before any instance's cursor is already gone), so no batch
 * scans the dead rows of the ones before it. Returns when `points` is gone; a database without it
 * costs one query.
 *
 * Throws naming the series key and time for a stored point the chunk format cannot hold (a time
 * or value that is not finite); nothing of that batch is applied.
 */
export async function migratePoints(
  pool: Pool,
  copyTo: typeof copyToFn,
  options: {
    batchPoints: number;
    chunks: ChunkStoreOptions;
    /** Called after each committed batch, with what it moved. */
    onBatch?: (batch: { moved: number; orphaned: number }) => void;
  },
): Promise<PointsMigration> {
  const result: PointsMigration = { moved: 0, orphaned: 0, batches: 0 };
  if (!(await pointsExist(pool))) return result;
  let cursor: [string, number] = [FIRST_KEY, Number.NEGATIVE_INFINITY];
  for (;;) {
    const from = cursor;
    const outcome = await inTransaction(pool, async (client): Promise<Outcome> => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [POINTS_MIGRATION_LOCK]);
      if (!(await pointsExist(client))) return { done: true };
      const rows = await copyOutRows(
        client,
        copyTo,
        // Only numbers: the cursor's key (decimal text read back from the database) and time.
        `COPY (SELECT series_id, ts, v, b FROM points WHERE (series_id, ts) > ('${BigInt(from[0]).toString()}'::bigint, ${float8Literal(from[1])})
          ORDER BY series_id, ts LIMIT ${Math.floor(options.batchPoints)}) TO STDOUT`,
      );
      const n = rows.times.length;
      if (n === 0) {
        await client.query('LOCK TABLE points IN ACCESS EXCLUSIVE MODE');
        if (((await client.query('SELECT 1 FROM points LIMIT 1')).rowCount ?? 0) > 0) {
          return { done: false, restart: true, last: from, moved: 0, orphaned: 0 };
        }
        await client.query('DROP TABLE points');
        return { done: true };
      }
      let moved = 0;
      let orphaned = 0;
      for (const { key, from: i, to: j } of rows.runs) {
        for (let k = i; k < j; k++) {
          const t = rows.times[k]!;
          const v = rows.values[k]!;
          if (!Number.isFinite(t) || (typeof v === 'number' && !Number.isFinite(v))) {
            throw new Error(`points migration: series key ${key} has a point at ${t} with value ${String(v)}, which chunks cannot hold (times and values must be finite); correct or delete that row of "points" and open again`);
          }
        }
        const series = await client.query({ name: 'tt_lock_key', text: 'SELECT 1 FROM series WHERE key = $1 FOR NO KEY UPDATE', values: [key] });
        if (series.rowCount === 0) {
          orphaned += j - i;
        } else {
          const writer = new ChunkWriter(new PostgresChunkTable(client, key), key, options.chunks);
          await runStepAsync(writer.add(i === 0 && j === n ? rows : sliceColumns(rows, i, j)));
          await runStepAsync(writer.finish());
          moved += j - i;
        }
      }
      const last: [string, number] = [rows.runs[rows.runs.length - 1]!.key, rows.times[n - 1]!];
      await client.query('DELETE FROM points WHERE (series_id, ts) > ($1::bigint, $2::float8) AND (series_id, ts) <= ($3::bigint, $4::float8)', [
        from[0],
        pgNumber(from[1]),
        last[0],
        pgNumber(last[1]),
      ]);
      return { done: false, restart: false, last, moved, orphaned };
    });
    if (outcome.done) return result;
    if (!outcome.restart) {
      result.batches++;
      options.onBatch?.({ moved: outcome.moved, orphaned: outcome.orphaned });
    }
    result.moved += outcome.moved;
    result.orphaned += outcome.orphaned;
    cursor = outcome.restart ? [FIRST_KEY, Number.NEGATIVE_INFINITY] : outcome.last;
  }
}

/**
 * Whether `points` is still there, read from pg_class with the statement's snapshot: to_regclass
 * would answer from the session's catalog cache, which a transaction that waited for the lock
 * while another instance dropped the table has not refreshed yet.
 */
async function pointsExist(q: Pick<Pool, 'query'>): Promise<boolean> {
  const res = await q.query<[boolean]>({
    text: `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = 'points' AND n.nspname = current_schema() AND c.relkind = 'r')`,
    rowMode: 'array',
  });
  return res.rows[0]![0];
}
