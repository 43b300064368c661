import type { Pool } from 'pg';
import type { SeriesStorage, StorageStats } from '../Store.js';
import { inTransaction } from './inTransaction.js';
import { READ_SNAPSHOT } from './readChunkedColumns.js';

type TotalsRow = [chunksBytes: string, headBytes: string, chunks: string, dataBytes: string, headRows: string];
type SeriesRow = [id: string, chunks: string, points: string, dataBytes: string, headPoints: string];

/**
 * How the points are stored, in one snapshot. `databaseBytes` is `pg_total_relation_size` of
 * `chunks` and `head` (heap, indexes, TOAST and its index, free space included). A series' `bytes`
 * is its share of that: the encoded bytes of its chunks (`octet_length(data)`, read from the TOAST
 * pointers, nothing decompressed) plus, per chunk, the table's average overhead beyond the encoded
 * bytes (row, index entry, TOAST rows, free space: (size of `chunks` − Σ encoded bytes) / chunks),
 * plus, per head point, the head table's size over its rows. Summed over every series it is
 * `databaseBytes` (less the pages of a table left empty). Costs one scan of the chunk rows (one row
 * per chunk, a few thousand points each) and of the head.
 */
export function pgStorageStats(pool: Pool, id?: string): Promise<StorageStats> {
  return inTransaction(
    pool,
    async (client) => {
      const totals = await client.query<TotalsRow>({
        text: `SELECT pg_total_relation_size('chunks'), pg_total_relation_size('head'),
            (SELECT count(*) FROM chunks), (SELECT coalesce(sum(octet_length(data)), 0) FROM chunks), (SELECT count(*) FROM head)`,
        rowMode: 'array',
      });
      const t = totals.rows[0]!;
      const [chunksBytes, headBytes, allChunks, allData, headRows] = [Number(t[0]), Number(t[1]), Number(t[2]), Number(t[3]), Number(t[4])];
      const perChunk = allChunks > 0 ? (chunksBytes - allData) / allChunks : 0;
      const perHeadPoint = headRows > 0 ? headBytes / headRows : 0;
      const rows = await client.query<SeriesRow>({
        text: `SELECT s.id, c.n, c.points, c.bytes, h.n FROM series s
          CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(sum(count), 0) AS points, coalesce(sum(octet_length(data)), 0) AS bytes
            FROM chunks WHERE series_key = s.key) c
          CROSS JOIN LATERAL (SELECT count(*) AS n FROM head WHERE series_key = s.key) h
          WHERE $1::text IS NULL OR s.id = $1 ORDER BY s.created_at, s.id`,
        values: [id ?? null],
        rowMode: 'array',
      });
      const series = rows.rows.map(([seriesId, chunks, points, dataBytes, headPoints]): SeriesStorage => {
        const c = Number(chunks);
        const h = Number(headPoints);
        return { seriesId, points: Number(points) + h, chunks: c, headPoints: h, bytes: Math.round(Number(dataBytes) + c * perChunk + h * perHeadPoint) };
      });
      return { series, databaseBytes: chunksBytes + headBytes };
    },
    READ_SNAPSHOT,
  );
}
