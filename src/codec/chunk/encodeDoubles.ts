import type { ByteWriter } from './ByteWriter.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { encodeXor } from './encodeXor.js';

/**
 * Writes doubles as they are, bit for bit, behind their header byte: Gorilla XOR
 * ({@link encodeXor}), or — when XOR would take more (random bit patterns: 64 bits + 13 of
 * control a value) — the raw 8 bytes of each, little-endian, so no chunk costs more than 8 bytes
 * a double.
 */
export function encodeDoubles(out: ByteWriter, xs: Float64Array): void {
  const mark = out.pos;
  out.byte(CHUNK_FORMAT.xor << 4);
  encodeXor(out, xs);
  const n = xs.length;
  if (out.pos - mark <= n * 8 + 1) return;
  out.pos = mark;
  out.byte(CHUNK_FORMAT.raw << 4);
  out.ensure(n * 8);
  const view = new DataView(out.bytes.buffer, out.bytes.byteOffset);
  for (let i = 0; i < n; i++) view.setFloat64(out.pos + i * 8, xs[i]!, true);
  out.pos += n * 8;
}
