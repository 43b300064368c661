import type { PoolClient } from 'pg';
import { runStepAsync } from '../chunks/runStepAsync.js';
import { writeChunked } from '../chunks/writeChunked.js';
import { keyedSeriesHash } from '../keyedSeriesHash.js';
import { SeriesCapError } from '../SeriesCapError.js';
import type { KeyedSeriesWrite } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { bumpVersion } from './bumpVersion.js';
import { inTransaction } from './inTransaction.js';
import { insertSeries } from './insertSeries.js';
import { noteHeadPoints } from './noteHeadPoints.js';
import { CHANGE_CHANNEL } from './PgChangeChannel.js';
import type { PgWriteContext } from './PgWriteContext.js';
import { PostgresChunkTable } from './PostgresChunkTable.js';
import { seriesKey } from './seriesKey.js';

/** First key of the advisory lock that serialises the creation of one owner's keyed series ("tkey"). */
const KEYED_CREATE_LOCK = 0x746b6579;

async function findIds(client: PoolClient, ownerId: number, hashes: readonly string[]): Promise<Map<string, string>> {
  const res = await client.query<[string, string]>({
    name: 'tt_keyed_find',
    text: 'SELECT key_hash, series_id FROM keyed_series WHERE owner_id = $1 AND key_hash = ANY($2::text[])',
    values: [ownerId, hashes],
    rowMode: 'array',
  });
  return new Map(res.rows);
}

/**
 * {@link SeriesStore.writeKeyed} for PostgreSQL: one transaction on one pooled connection. The
 * keys are looked up by their hashes (one index probe each, one statement for all); when some are
 * missing, the owner's creation lock (a transaction-scoped advisory lock) is taken and they are
 * looked up again, so two instances creating the same series at once create it once and the cap
 * is counted by one creator at a time. Series are then locked (version bump) in id order — two
 * requests writing the same series never wait on each other crosswise — and written through the
 * shared chunk logic, each notified after the commit.
 *
 * @returns How many series were created and how many points were written.
 */
export async function writeKeyedPg(
  ctx: PgWriteContext,
  ownerId: number,
  writes: readonly KeyedSeriesWrite[],
  maxKeyedSeries: number,
): Promise<{ created: number; points: number }> {
  const hashes = writes.map((w) => keyedSeriesHash(w.key));
  const heads: [string, number][] = [];
  const written: string[] = [];
  const result = await inTransaction(ctx.pool, async (client) => {
    let ids = await findIds(client, ownerId, hashes);
    let created = 0;
    if (ids.size < writes.length) {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [KEYED_CREATE_LOCK, ownerId]);
      ids = await findIds(client, ownerId, hashes);
      const missing = writes.filter((_, i) => !ids.has(hashes[i]!));
      if (missing.length > 0) {
        const res = await client.query<[string]>({ text: 'SELECT count(*) FROM keyed_series WHERE owner_id = $1', values: [ownerId], rowMode: 'array' });
        const held = Number(res.rows[0]![0]);
        if (held + missing.length > maxKeyedSeries) throw new SeriesCapError(maxKeyedSeries, held, missing.length);
        const rows: [string[], string[], string[], string[], string[]] = [[], [], [], [], []];
        for (let i = 0; i < writes.length; i++) {
          const w = writes[i]!;
          if (ids.has(hashes[i]!)) continue;
          await insertSeries(client, w.create);
          rows[0].push(hashes[i]!);
          rows[1].push(w.create.id);
          rows[2].push(w.key);
          rows[3].push(w.database);
          rows[4].push(w.measurement);
          ids.set(hashes[i]!, w.create.id);
          created++;
        }
        // One statement for all the new keys.
        await client.query({
          name: 'tt_keyed_insert',
          text: `INSERT INTO keyed_series (owner_id, key_hash, series_id, key, database, measurement)
            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
          values: [ownerId, ...rows],
        });
      }
    }
    const order = writes.map((w, i) => ({ id: ids.get(hashes[i]!)!, w })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let points = 0;
    for (const { id, w } of order) {
      if ((await bumpVersion(client, id)) === undefined) throw new StoreConflictError(`series ${id} was deleted during the write; nothing was applied`);
      const key = seriesKey(id);
      const where = await runStepAsync(writeChunked(new PostgresChunkTable(client, key), key, w.points, ctx.chunks));
      if (where === 'head') heads.push([id, await noteHeadPoints(client, id, w.points.times.length)]);
      points += w.points.times.length;
      written.push(id);
    }
    // Every series' change notice in one statement (delivered at commit, as each would be).
    await client.query({
      name: 'tt_keyed_notify',
      text: 'SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload',
      values: [CHANGE_CHANNEL, written.map((id) => ctx.changes.payloadFor(id))],
    });
    return { created, points };
  });
  for (const id of written) ctx.changes.emitLocal(id);
  for (const [id, n] of heads) ctx.headWritten(id, n);
  return result;
}

/** {@link SeriesStore.keyedNames} for PostgreSQL. */
export async function keyedNamesPg(ctx: PgWriteContext, ownerId: number, database?: string): Promise<string[]> {
  const res =
    database === undefined
      ? await ctx.pool.query<[string]>({ text: 'SELECT DISTINCT database FROM keyed_series WHERE owner_id = $1 ORDER BY 1', values: [ownerId], rowMode: 'array' })
      : await ctx.pool.query<[string]>({
          text: 'SELECT DISTINCT measurement FROM keyed_series WHERE owner_id = $1 AND database = $2 ORDER BY 1',
          values: [ownerId, database],
          rowMode: 'array',
        });
  return res.rows.map((r) => r[0]);
}
