import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { corruptChunk } from './corruptChunk.js';

const { block: BLOCK, maxWidth: MAX_WIDTH } = CHUNK_FORMAT;
const TWO32 = 2 ** 32;

/**
 * Reads what {@link packIntegers} wrote into `out[from..to)`, exactly that many values: a group
 * reaching past `to`, a block wider than 52 bits or longer than 128 values, or bytes missing is a
 * `ChunkCodecError`. Linear in the values (a run group is one `fill`).
 */
export function unpackIntegers(r: ByteReader, out: Float64Array, from: number, to: number): void {
  let i = from;
  while (i < to) {
    const header = r.uvarint('integer group header');
    if (header % 2 === 1) {
      const count = (header - 1) / 2 + 1;
      if (count > to - i) throw corruptChunk(`a run of ${count} values where ${to - i} remain`);
      out.fill(r.svarint('run value'), i, i + count);
      i += count;
      continue;
    }
    const q = header / 2;
    const width = q % 64;
    const count = (q - width) / 64 + 1;
    if (count > BLOCK || count > to - i) throw corruptChunk(`a block of ${count} values where ${Math.min(BLOCK, to - i)} may be`);
    if (width > MAX_WIDTH) throw corruptChunk(`a block of ${width}-bit values`);
    const min = r.svarint('block minimum');
    const bytes = Math.ceil((count * width) / 8);
    r.need(bytes, 'packed block');
    const end = i + count;
    if (width === 0) {
      out.fill(min, i, end);
    } else if (width <= 25) {
      // One 32-bit big-endian load holds the value whatever its bit offset (≤ 7 + 25 bits).
      const view = r.view;
      const drop = 32 - width;
      let bit = r.pos * 8;
      for (let k = i; k < end; k++) {
        out[k] = min + ((view.getUint32(bit >>> 3) << (bit & 7)) >>> drop);
        bit += width;
      }
    } else {
      r.beginBits();
      if (width <= 32) {
        for (let k = i; k < end; k++) out[k] = min + r.bits(width);
      } else {
        for (let k = i; k < end; k++) {
          const hi = r.bits(width - 32);
          out[k] = min + hi * TWO32 + r.bits(32);
        }
      }
    }
    r.pos += bytes;
    i = end;
  }
}
