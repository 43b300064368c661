import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { corruptChunk } from './corruptChunk.js';

/**
 * Reads what {@link encodeKinds} wrote for `count` values.
 *
 * @returns The kinds, or null when every value is a number.
 */
export function decodeKinds(r: ByteReader, count: number): Uint8Array | null {
  const mode = r.byte('kinds header');
  if (mode === CHUNK_FORMAT.allNumbers) return null;
  const kinds = new Uint8Array(count);
  if (mode === CHUNK_FORMAT.kindRuns) {
    for (let i = 0; i < count; ) {
      const x = r.uvarint('run of kinds');
      const kind = x % 4;
      const run = (x - kind) / 4 + 1;
      if (run > count - i) throw corruptChunk(`a run of ${run} kinds where ${count - i} remain`);
      if (kind !== 0) kinds.fill(kind, i, i + run);
      i += run;
    }
    return kinds;
  }
  if (mode !== CHUNK_FORMAT.kindBits) throw corruptChunk(`unknown kinds encoding ${mode}`);
  r.need(Math.ceil(count / 4), 'kinds');
  r.beginBits();
  for (let i = 0; i < count; i++) kinds[i] = r.bits(2);
  r.endBits('kinds');
  return kinds;
}
