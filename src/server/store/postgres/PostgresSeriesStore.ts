import type { Pool, PoolClient } from 'pg';
import type { Point, PointValue } from '../../../codec/Point.js';
import { searchInBatches } from '../searchInBatches.js';
import type {
  LatestWithVersion,
  NewSeries,
  PointRange,
  PointWriter,
  SeriesHead,
  SeriesQuery,
  SeriesRecord,
  SeriesStore,
  SeriesSummary,
  WriteMode,
} from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { CHANGE_CHANNEL, type PgChangeChannel } from './PgChangeChannel.js';
import type { PgDriver } from './pgDriver.js';
import { checkPoint, PostgresPointWriter } from './PostgresPointWriter.js';
import { fromPgValue, pgNumber, toPgValue } from './pgValue.js';
import { seriesKey } from './seriesKey.js';

interface HeadRow {
  id: string;
  owner_id: number;
  public: boolean;
  version: string;
}

interface SummaryRow extends HeadRow {
  title: string;
  caption: string;
  description: string | null;
  tags: string[];
  created_at: number;
}

interface SeriesRow extends SummaryRow {
  extra: Record<string, string>;
}

const toHead = (row: HeadRow): SeriesHead => ({ id: row.id, ownerId: row.owner_id, public: row.public, version: Number(row.version) });

function toSummary(row: SummaryRow): SeriesSummary {
  return {
    ...toHead(row),
    title: row.title,
    caption: row.caption,
    description: row.description,
    tags: row.tags,
    createdAt: row.created_at,
  };
}

const toRecord = (row: SeriesRow): SeriesRecord => ({ ...toSummary(row), extra: row.extra });

type PointRow = [ts: number, v: number | null, b: boolean | null];

/** A float8 SQL literal of a number (for COPY, which takes no parameters). */
function float8(n: number): string {
  if (typeof n !== 'number') throw new TypeError(`not a number: ${String(n)}`);
  return `'${Object.is(n, -0) ? '-0' : String(n)}'::float8`;
}

const SERIES_COLUMNS = 'id, owner_id, title, caption, description, tags, public, extra, created_at, version';
const SUMMARY_COLUMNS = 'id, owner_id, title, caption, description, tags, public, created_at, version';

const INSERT_SERIES = `INSERT INTO series (id, key, owner_id, title, caption, description, tags, public, extra, created_at, version)
  VALUES ($1, $9, $2, $3, $4, $5, $6, $7, $8, extract(epoch from clock_timestamp())::float8, 0) RETURNING ${SERIES_COLUMNS}`;

/** Bumps the version and takes the series' row lock: writers of one series serialise on it. */
export const BUMP_VERSION = 'UPDATE series SET version = version + 1 WHERE id = $1 RETURNING version';

/** Inserts a series inside the caller's transaction; a taken id is a {@link StoreConflictError}. */
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

/** Runs `work` in a transaction on a pooled client; rolls back on a throw; always releases. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    let broken = false;
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    client.release(broken);
    throw err;
  }
}

/** The series half of the PostgreSQL store; see openPostgresStore. */
export class PostgresSeriesStore implements SeriesStore {
  constructor(
    private readonly pool: Pool,
    private readonly changes: PgChangeChannel,
    private readonly driver: PgDriver,
  ) {}

  async createSeries(series: NewSeries): Promise<SeriesRecord> {
    return insertSeries(this.pool, series);
  }

  async getSeries(id: string): Promise<SeriesRecord | undefined> {
    const res = await this.pool.query<SeriesRow>({ name: 'tt_get_series', text: `SELECT ${SERIES_COLUMNS} FROM series WHERE id = $1`, values: [id] });
    const row = res.rows[0];
    return row && toRecord(row);
  }

  /** Only narrow columns: the large metadata values live TOASTed outside the row and stay unread. */
  async getSeriesHead(id: string): Promise<SeriesHead | undefined> {
    const res = await this.pool.query<HeadRow>({ name: 'tt_get_head', text: 'SELECT id, owner_id, public, version FROM series WHERE id = $1', values: [id] });
    const row = res.rows[0];
    return row && toHead(row);
  }

  async latestWithVersion(id: string): Promise<LatestWithVersion | undefined> {
    // One statement, one snapshot: the version and the point agree.
    const res = await this.pool.query<[version: string, ...PointRow]>({
      name: 'tt_latest_version',
      text: `SELECT s.version, p.ts, p.v, p.b FROM series s
        LEFT JOIN LATERAL (SELECT ts, v, b FROM points WHERE series_id = $2 ORDER BY ts DESC LIMIT 1) p ON true
        WHERE s.id = $1`,
      values: [id, seriesKey(id)],
      rowMode: 'array',
    });
    const row = res.rows[0];
    if (!row) return undefined;
    const [version, ts, v, b] = row;
    return { version: Number(version), latest: ts === null ? undefined : [ts, fromPgValue(v, b)] };
  }

  async deleteSeries(id: string): Promise<boolean> {
    const deleted = await inTransaction(this.pool, async (client) => {
      // The series row first: a concurrent writer waits on its lock, then finds it gone.
      const res = await client.query('DELETE FROM series WHERE id = $1', [id]);
      if (res.rowCount === 0) return false;
      await client.query('DELETE FROM points WHERE series_id = $1', [seriesKey(id)]);
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.changes.payloadFor(id)]);
      return true;
    });
    if (deleted) this.changes.emitLocal(id);
    return deleted;
  }

  searchSeries(query: SeriesQuery): Promise<SeriesSummary[]> {
    const where = ['(public OR owner_id = $1)', '(created_at, id) > ($2, $3)'];
    if (query.user) where.push('owner_id = (SELECT id FROM users WHERE name = $5)');
    // No extra fields (what search lists does not show them), and the text and tags are matched
    // by the shared linear rule, not ILIKE (O(text × q)).
    const text = `SELECT ${SUMMARY_COLUMNS} FROM series WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT $4`;
    return searchInBatches(query, async (after, size) => {
      const args: unknown[] = [query.viewerId ?? -1, after?.createdAt ?? Number.NEGATIVE_INFINITY, after?.id ?? '', size];
      if (query.user) args.push(query.user);
      const res = await this.pool.query<SummaryRow>(text, args);
      return res.rows.map(toSummary);
    });
  }

  async *readPoints(id: string, range: PointRange, chunkSize = 10_000): AsyncIterable<Point[]> {
    let remaining = range.limit ?? Number.POSITIVE_INFINITY;
    let after: number | undefined;
    const end = range.end ?? Number.POSITIVE_INFINITY;
    const key = seriesKey(id);
    while (remaining > 0) {
      const n = Math.min(chunkSize, remaining);
      // Keyset pagination: each chunk is its own short query, so no connection is held while the
      // consumer is slow, and memory stays at one chunk. COPY … TO STDOUT, parsed here, reads
      // about twice as fast as a SELECT through pg's row parser; COPY takes no parameters, so the
      // bounds are inlined — only numbers and the decimal key, never caller text.
      const lower = after === undefined ? `ts >= ${float8(range.start ?? Number.NEGATIVE_INFINITY)}` : `ts > ${float8(after)}`;
      const points = await this.copyOut(
        `COPY (SELECT ts, v, b FROM points WHERE series_id = ${key} AND ${lower} AND ts < ${float8(end)} ORDER BY ts LIMIT ${n}) TO STDOUT`,
      );
      if (points.length === 0) return;
      remaining -= points.length;
      after = points[points.length - 1]![0];
      yield points;
      if (points.length < n) return;
    }
  }

  private async copyOut(sql: string): Promise<Point[]> {
    const client = await this.pool.connect();
    let text: string;
    try {
      const parts: Buffer[] = [];
      for await (const part of client.query(this.driver.copyTo(sql))) parts.push(part as Buffer);
      client.release();
      text = Buffer.concat(parts).toString('latin1');
    } catch (err) {
      client.release(true);
      throw err;
    }
    const points: Point[] = [];
    let at = 0;
    while (at < text.length) {
      const tab1 = text.indexOf('\t', at);
      const tab2 = text.indexOf('\t', tab1 + 1);
      const nl = text.indexOf('\n', tab2 + 1);
      const v = text.slice(tab1 + 1, tab2);
      const b = text.charCodeAt(tab2 + 1);
      points.push([
        Number(text.slice(at, tab1)),
        v !== '\\N' ? Number(v) : b === 116 /* t */ ? true : b === 102 /* f */ ? false : null,
      ]);
      at = nl + 1;
    }
    return points;
  }

  async latest(id: string): Promise<Point | undefined> {
    const res = await this.pool.query<PointRow>({
      name: 'tt_latest',
      text: 'SELECT ts, v, b FROM points WHERE series_id = $1 ORDER BY ts DESC LIMIT 1',
      values: [seriesKey(id)],
      rowMode: 'array',
    });
    const row = res.rows[0];
    return row && [row[0], fromPgValue(row[1], row[2])];
  }

  async appendValue(id: string, time: number, value: PointValue): Promise<{ point: Point; version: number }> {
    checkPoint(time, value);
    const [v, b] = toPgValue(value);
    // One statement, hence one implicit transaction and one round trip; the point is written
    // only when the series exists (the CTE `s` returned its row).
    const res = await this.pool.query<{ version: string }>({
      name: 'tt_append',
      text: `WITH s AS (UPDATE series SET version = version + 1 WHERE id = $1 RETURNING version),
        p AS (INSERT INTO points (series_id, ts, v, b) SELECT $7::bigint, $2, $3, $4 FROM s
              ON CONFLICT (series_id, ts) DO UPDATE SET v = excluded.v, b = excluded.b)
        SELECT s.version, pg_notify($5, $6) FROM s`,
      values: [id, time, pgNumber(v), b, CHANGE_CHANNEL, this.changes.payloadFor(id), seriesKey(id)],
    });
    const row = res.rows[0];
    if (!row) throw new StoreConflictError(`series ${id} does not exist`);
    this.changes.emitLocal(id);
    return { point: [time, value], version: Number(row.version) };
  }

  async increment(id: string, time: number, delta: number): Promise<{ point: Point; version: number }> {
    checkPoint(time, delta);
    const result = await inTransaction(this.pool, async (client) => {
      // The row lock taken by the bump makes concurrent increments of one series queue up; under
      // READ COMMITTED the next statement then sees the value the previous increment committed.
      const bumped = await client.query<{ version: string }>(BUMP_VERSION, [id]);
      const version = bumped.rows[0]?.version;
      if (version === undefined) throw new StoreConflictError(`series ${id} does not exist`);
      const latest = await client.query<PointRow>({
        name: 'tt_latest',
        text: 'SELECT ts, v, b FROM points WHERE series_id = $1 ORDER BY ts DESC LIMIT 1',
        values: [seriesKey(id)],
        rowMode: 'array',
      });
      const row = latest.rows[0];
      const base = row ? fromPgValue(row[1], row[2]) : 0;
      if (typeof base !== 'number') {
        throw new StoreConflictError(`cannot increment: the latest value of ${id} is ${String(base)}, not a number`);
      }
      const value = base + delta;
      // Never land before the latest point: an increment stamped earlier (taken before this
      // transaction waited for the lock, or on an instance whose clock is behind) would otherwise
      // hide behind the latest point, and the next increment would build on a value without it.
      const at = row && row[0] > time ? row[0] : time;
      await client.query({
        name: 'tt_upsert',
        text: `INSERT INTO points (series_id, ts, v, b) VALUES ($1, $2, $3, NULL)
          ON CONFLICT (series_id, ts) DO UPDATE SET v = excluded.v, b = excluded.b`,
        values: [seriesKey(id), at, pgNumber(value)],
      });
      await client.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, this.changes.payloadFor(id)]);
      return { point: [at, value] as const, version: Number(version) };
    });
    this.changes.emitLocal(id);
    return result;
  }

  openWriter(id: string, mode: WriteMode, create?: NewSeries): Promise<PointWriter> {
    return Promise.resolve(new PostgresPointWriter(this.pool, this.changes, this.driver.copyFrom, id, mode, create));
  }

  onChange(listener: (seriesId: string) => void): () => void {
    return this.changes.subscribe(listener);
  }
}
