import type { PointValue } from '../Point.js';
import { ByteReader } from './ByteReader.js';
import type { ChunkColumns } from './ChunkColumns.js';
import { DEFAULT_CHUNK_CODEC_OPTIONS, type ChunkCodecOptions } from './chunkCodecOptions.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { corruptChunk } from './corruptChunk.js';
import { decodeKinds } from './decodeKinds.js';
import { decodeNumbers } from './decodeNumbers.js';
import { decodeTimes } from './decodeTimes.js';

/** Arrays a run of decodes reuses (see {@link decodeChunk}); start with empty ones. */
export interface ChunkScratch {
  times: Float64Array;
  numbers: Float64Array;
}

/**
 * Decodes a chunk written by {@link encodeChunk} into columns: the same times and values, bit
 * for bit (-0, subnormals, every double), ready for `encodeCsvColumns(times, values)` without a
 * tuple per point; the values are a `Float64Array` when all are numbers.
 *
 * Throws {@link ChunkCodecError} (`corrupt chunk: …`, naming the section) for bytes it did not
 * write: truncated or with bytes left over, an unknown version or encoding, counts that do not
 * add up, more than `maxPoints` points (refused before allocating), times not increasing.
 * Linear in the bytes and the points; reads a copy, so the input may be reused at once.
 *
 * With `scratch`, the columns are views of its arrays (grown when too short), overwritten by the
 * next decode into the same scratch: for a reader that folds each chunk before decoding the next.
 *
 * @example
 * ```ts
 * const { times, values } = decodeChunk(row.points);
 * reply.send(encodeCsvColumns(times, values));
 * ```
 */
export function decodeChunk(bytes: Uint8Array, options: ChunkCodecOptions = {}, scratch?: ChunkScratch): ChunkColumns {
  const { maxPoints } = { ...DEFAULT_CHUNK_CODEC_OPTIONS, ...options };
  const r = new ByteReader(bytes);
  const version = r.byte('version');
  if (version !== CHUNK_FORMAT.version) throw corruptChunk(`format version ${version}; this codec reads version ${CHUNK_FORMAT.version}`);
  const count = r.uvarint('point count');
  if (count < 1 || count > maxPoints) throw corruptChunk(`${count} points (from 1 to maxPoints, ${maxPoints})`);
  const times = decodeTimes(r, count, scratch && (scratch.times.length >= count ? scratch.times : (scratch.times = new Float64Array(count))).subarray(0, count));
  const kinds = decodeKinds(r, count);
  let numbers = count;
  if (kinds) {
    numbers = 0;
    for (let i = 0; i < count; i++) if (kinds[i] === CHUNK_FORMAT.kindNumber) numbers++;
  }
  const nums =
    numbers === 0
      ? new Float64Array(0)
      : decodeNumbers(r, numbers, scratch && (scratch.numbers.length >= numbers ? scratch.numbers : (scratch.numbers = new Float64Array(numbers))).subarray(0, numbers));
  if (r.pos !== r.end) throw corruptChunk(`${r.end - r.pos} bytes after the last section`);
  if (!kinds) return { times, values: nums };
  const values: PointValue[] = [];
  for (let i = 0, j = 0; i < count; i++) {
    const kind = kinds[i]!;
    values.push(kind === CHUNK_FORMAT.kindNumber ? nums[j++]! : kind === CHUNK_FORMAT.kindNull ? null : kind === CHUNK_FORMAT.kindTrue);
  }
  return { times, values };
}
