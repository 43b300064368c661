import type { ChunkSummary } from '../../../codec/chunk/ChunkSummary.js';
import { pgNumber, toPgValue } from './pgValue.js';

/** The columns of a `chunks` row, in the order of {@link chunkRowParams}. */
export const CHUNK_COLUMNS = 'series_key, start_ts, end_ts, count, min, max, sum, numbers, min_ts, max_ts, first_ts, first_v, first_b, last_ts, last_v, last_b, data';

/** `$1, …, $17`: the placeholders of one row of {@link CHUNK_COLUMNS}. */
export const CHUNK_ROW_PLACEHOLDERS = Array.from({ length: 17 }, (_, i) => `$${i + 1}`).join(', ');

/**
 * The 17 parameters of one `chunks` row in {@link CHUNK_COLUMNS} order: the series key, the summary
 * (span, count, min, max, sum, count of numbers, times of min and max, first and last point, each
 * value as a number and its kind), and the encoded chunk, passed as a Buffer so it goes as a
 * binary parameter, not as hex text.
 */
export function chunkRowParams(key: string, s: ChunkSummary, data: Uint8Array): unknown[] {
  const [firstV, firstB] = toPgValue(s.first[1]);
  const [lastV, lastB] = toPgValue(s.last[1]);
  return [
    key,
    pgNumber(s.start),
    pgNumber(s.end),
    s.count,
    pgNumber(s.min),
    pgNumber(s.max),
    pgNumber(s.sum),
    s.numbers,
    pgNumber(s.minTime),
    pgNumber(s.maxTime),
    pgNumber(s.first[0]),
    pgNumber(firstV),
    firstB,
    pgNumber(s.last[0]),
    pgNumber(lastV),
    lastB,
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ];
}
