import type { PoolClient } from 'pg';
import type { ChunkSummaryRow, DownsampleTable, SummaryColumns } from '../chunks/downsampleTable.js';
import type { TimeBounds } from '../chunks/ChunkTable.js';
import type { Columns } from '../chunks/Columns.js';
import { awaitStep, type Step } from '../chunks/Step.js';
import { PostgresChunkTable } from './PostgresChunkTable.js';
import { fromPgValue, pgNumber } from './pgValue.js';

type Row = [
  ...summary: SummaryColumns,
  firstTs: number,
  firstV: number | null,
  firstB: boolean | null,
  lastTs: number,
  lastV: number | null,
  lastB: boolean | null,
];

const COLUMNS = 'start_ts, end_ts, count, min, max, sum, numbers, min_ts, max_ts, first_ts, first_v, first_b, last_ts, last_v, last_b';

/** The chunks meeting [$2, $3] (as PostgresChunkTable finds them: two primary-key range scans), summaries only. */
const SUMMARIES = `SELECT ${COLUMNS} FROM (
    SELECT * FROM (SELECT ${COLUMNS} FROM chunks WHERE series_key = $1 AND start_ts < $2 ORDER BY start_ts DESC LIMIT 1) b WHERE end_ts >= $2
    UNION ALL
    (SELECT ${COLUMNS} FROM chunks WHERE series_key = $1 AND start_ts >= $2 AND start_ts <= $3 ORDER BY start_ts LIMIT $4)
  ) m ORDER BY start_ts LIMIT $4`;

/**
 * The SQL of downsampled reads on PostgreSQL, for one series on the connection of the caller's
 * read transaction: chunk summaries from the summary columns of `chunks` without the bytea, chunk
 * bytes and head points from a {@link PostgresChunkTable} on the same connection. The chunk
 * `ref` is its start time, as there.
 */
export class PostgresDownsampleTable implements DownsampleTable<string> {
  private readonly chunks: PostgresChunkTable;

  constructor(
    private readonly client: PoolClient,
    /** The int8 key of the series, as decimal text. */
    private readonly key: string,
  ) {
    this.chunks = new PostgresChunkTable(client, key);
  }

  *chunkSummaries(key: string, from: number, to: number, limit: number): Step<ChunkSummaryRow[]> {
    if (key !== this.key) throw new Error(`PostgresDownsampleTable for series key ${this.key} called for ${key}`);
    if (limit <= 0 || to < from) return [];
    const res = yield* awaitStep(
      this.client.query<Row>({ name: 'tt_c_summaries', text: SUMMARIES, values: [key, pgNumber(from), pgNumber(to), limit], rowMode: 'array' }),
    );
    return res.rows.map((r) => ({
      ref: r[0],
      start: r[0],
      end: r[1],
      count: r[2],
      min: r[3],
      max: r[4],
      sum: r[5],
      numbers: r[6],
      minTime: r[7],
      maxTime: r[8],
      first: [r[9], fromPgValue(r[10], r[11])],
      last: [r[12], fromPgValue(r[13], r[14])],
    }));
  }

  chunkData(ref: number): Step<Uint8Array> {
    return this.chunks.chunkData(ref);
  }

  headIn(key: string, bounds: TimeBounds): Step<Columns> {
    return this.chunks.headIn(key, bounds);
  }
}
