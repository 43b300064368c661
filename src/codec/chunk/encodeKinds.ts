import type { ByteWriter } from './ByteWriter.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { uvarintLength } from './uvarintLength.js';

/**
 * Writes the kind of every value (number, null, false, true; see {@link CHUNK_FORMAT}): one
 * byte when all are numbers, else runs of one kind or 2 bits a value, whichever is smaller — so
 * long runs of `null` cost a few bytes, and alternating kinds at most 2 bits a point.
 */
export function encodeKinds(out: ByteWriter, kinds: Uint8Array, numbers: number): void {
  const n = kinds.length;
  if (numbers === n) {
    out.byte(CHUNK_FORMAT.allNumbers);
    return;
  }
  let runs = 0;
  for (let i = 0; i < n; ) {
    const kind = kinds[i]!;
    let j = i + 1;
    while (j < n && kinds[j] === kind) j++;
    runs += uvarintLength((j - i - 1) * 4 + kind);
    i = j;
  }
  const packed = Math.ceil(n / 4);
  if (runs <= packed) {
    out.byte(CHUNK_FORMAT.kindRuns);
    for (let i = 0; i < n; ) {
      const kind = kinds[i]!;
      let j = i + 1;
      while (j < n && kinds[j] === kind) j++;
      out.uvarint((j - i - 1) * 4 + kind);
      i = j;
    }
    return;
  }
  out.byte(CHUNK_FORMAT.kindBits);
  out.ensure(packed);
  const bytes = out.bytes;
  let pos = out.pos;
  for (let i = 0; i < n; i += 4) bytes[pos++] = (kinds[i]! << 6) | ((kinds[i + 1] ?? 0) << 4) | ((kinds[i + 2] ?? 0) << 2) | (kinds[i + 3] ?? 0);
  out.pos = pos;
}
