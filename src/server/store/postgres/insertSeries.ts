import type { Pool, PoolClient } from 'pg';
import type { NewSeries, SeriesRecord } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { toRecord, type SeriesRow } from '../seriesRows.js';
import { SERIES_COLUMNS } from './seriesColumns.js';
import { seriesKey } from './seriesKey.js';

const INSERT_SERIES = `INSERT INTO series (id, key, owner_id, title, caption, description, tags, public, extra, created_at, version)
  VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8, extract(epoch from clock_timestamp())::float8, 0) RETURNING ${SERIES_COLUMNS}`;

/** Inserts a series (on the pool, or inside the caller's transaction); a taken id is a {@link StoreConflictError}. */
export async function insertSeries(client: Pool | PoolClient, s: NewSeries): Promise<SeriesRecord> {
  try {
    const res = await client.query<SeriesRow>(INSERT_SERIES, [
      s.id,
      s.ownerId,
      s.title,
      s.caption,
      s.description,
      s.tags,
      s.public,
      JSON.stringify(s.extra),
      seriesKey(s.id),
    ]);
    return toRecord(res.rows[0]!);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      const collision = (err as { constraint?: string }).constraint === 'series_key_key';
      throw new StoreConflictError(
        collision ? `series id ${s.id} collides with another series' key; choose another id` : `series ${s.id} already exists`,
        { cause: err },
      );
    }
    throw err;
  }
}
