import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { decodeDoubles } from './decodeDoubles.js';

/** A column's header byte, split into its coding (high nibble) and decimal scale (low nibble). */
export interface ColumnHeader {
  readonly byte: number;
  readonly mode: number;
  readonly scale: number;
}

/**
 * Reads the header byte of an encoded column and, when the column holds plain doubles (XOR or raw
 * coding, scale 0), decodes it into `out` and returns undefined; otherwise returns the header, for
 * the caller's integer codings. Both `decodeTimes` and `decodeNumbers` start here.
 *
 * @param what - `'times'` or `'values'`, for the error naming a short chunk.
 */
export function decodeDoubleColumn(r: ByteReader, out: Float64Array, what: 'times' | 'values'): ColumnHeader | undefined {
  const byte = r.byte(`${what} header`);
  const mode = byte >> 4;
  const scale = byte & 15;
  if ((mode === CHUNK_FORMAT.xor || mode === CHUNK_FORMAT.raw) && scale === 0) {
    decodeDoubles(r, out, mode, what);
    return undefined;
  }
  return { byte, mode, scale };
}
