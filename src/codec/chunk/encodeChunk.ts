import type { PointValue } from '../Point.js';
import { ByteWriter } from './ByteWriter.js';
import { ChunkCodecError } from './ChunkCodecError.js';
import { DEFAULT_CHUNK_CODEC_OPTIONS, type ChunkCodecOptions } from './chunkCodecOptions.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { encodeKinds } from './encodeKinds.js';
import { encodeNumbers } from './encodeNumbers.js';
import { encodeTimes } from './encodeTimes.js';

const describe = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * Encodes consecutive points of one series as a chunk: compact bytes that {@link decodeChunk}
 * turns back into the same points bit for bit (so the CSV written for them is byte-identical).
 * Timestamps that are decimals at one scale (≤ 9 digits) go as packed integer deltas, other
 * timestamps and non-decimal numbers with Gorilla XOR compression, `null`/`true`/`false` as
 * runs of kinds; runs of repeats cost a few bytes. The layout is in {@link CHUNK_FORMAT}; the
 * first byte is its version. Web-standard (no `Buffer`): both stores and the client can use it.
 *
 * Throws {@link ChunkCodecError} naming the index for points that cannot be a chunk: no points,
 * more than `maxPoints`, columns of different lengths, a time not finite or not after the one
 * before, a value other than a finite number, `null`, `true` or `false`.
 *
 * @example
 * ```ts
 * const bytes = encodeChunk([1500000000, 1500000001, 1500000002], [20.5, 20.25, null]);
 * decodeChunk(bytes); // { times: Float64Array [1500000000, …], values: [20.5, 20.25, null] }
 * ```
 *
 * @param times Unix seconds, strictly increasing.
 * @param values The value at each time.
 * @returns The chunk's bytes (exactly its length).
 */
export function encodeChunk(times: ArrayLike<number>, values: ArrayLike<PointValue>, options: ChunkCodecOptions = {}): Uint8Array {
  const { maxPoints } = { ...DEFAULT_CHUNK_CODEC_OPTIONS, ...options };
  const n = times.length;
  if (values.length !== n) throw new ChunkCodecError(`encodeChunk: ${n} times but ${values.length} values`);
  if (n === 0) throw new ChunkCodecError('encodeChunk: no points (a chunk holds at least one)');
  if (n > maxPoints) throw new ChunkCodecError(`encodeChunk: ${n} points, more than maxPoints (${maxPoints})`);
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x: unknown = times[i];
    if (typeof x !== 'number') throw new ChunkCodecError(`encodeChunk: time ${i} is ${describe(x)}, not a number`);
    t[i] = x;
  }
  if (!Number.isFinite(t[0]!)) throw new ChunkCodecError(`encodeChunk: time 0 is ${describe(times[0])}, not a finite number`);
  for (let i = 1; i < n; i++) {
    if (!(t[i]! > t[i - 1]!)) {
      throw new ChunkCodecError(`encodeChunk: time ${i} (${describe(times[i])}) is not after time ${i - 1} (${t[i - 1]}): times in a chunk must be strictly increasing`);
    }
  }
  if (!Number.isFinite(t[n - 1]!)) throw new ChunkCodecError(`encodeChunk: time ${n - 1} is ${t[n - 1]}, not a finite number`);

  const kinds = new Uint8Array(n);
  const numbers = new Float64Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v: unknown = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) numbers[m++] = v;
    else if (v === null) kinds[i] = CHUNK_FORMAT.kindNull;
    else if (v === false) kinds[i] = CHUNK_FORMAT.kindFalse;
    else if (v === true) kinds[i] = CHUNK_FORMAT.kindTrue;
    else throw new ChunkCodecError(`encodeChunk: value ${i} is ${describe(v)}: expected a finite number, null, true or false`);
  }

  const out = new ByteWriter(n * 3 + 64);
  out.byte(CHUNK_FORMAT.version);
  out.uvarint(n);
  encodeTimes(out, t);
  encodeKinds(out, kinds, m);
  if (m > 0) encodeNumbers(out, numbers.subarray(0, m));
  return out.finish();
}
