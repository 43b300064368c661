import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { decodeXor } from './decodeXor.js';

/**
 * Reads what {@link encodeDoubles} wrote into `out`, its header byte (`mode`, XOR or raw) already
 * read.
 */
export function decodeDoubles(r: ByteReader, out: Float64Array, mode: number, what: string): void {
  if (mode === CHUNK_FORMAT.xor) return decodeXor(r, out, what);
  const n = out.length;
  r.need(n * 8, what);
  for (let i = 0; i < n; i++) out[i] = r.view.getFloat64(r.pos + i * 8, true);
  r.pos += n * 8;
}
