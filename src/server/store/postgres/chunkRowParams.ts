import type { ChunkSummary } from '../../../codec/chunk/ChunkSummary.js';
import { pgNumber, toPgValue } from './pgValue.js';

/**
 * The 14 parameters of one `chunks` row in `CHUNK_COLUMNS` order: the series key, the summary
 * (span, count, min, max, sum, first and last point, each value as a number and its kind), and the
 * encoded chunk, passed as a Buffer so it goes as a binary parameter, not as hex text.
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
    pgNumber(s.first[0]),
    pgNumber(firstV),
    firstB,
    pgNumber(s.last[0]),
    pgNumber(lastV),
    lastB,
    Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  ];
}
