import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { corruptChunk } from './corruptChunk.js';
import { decodeDoubles } from './decodeDoubles.js';
import { POW10 } from './POW10.js';
import { unpackIntegers } from './unpackIntegers.js';

/**
 * Reads what {@link encodeTimes} wrote for `count` points and checks that the times are finite
 * and strictly increasing (a damaged chunk that still parses is caught here).
 */
export function decodeTimes(r: ByteReader, count: number): Float64Array {
  const times = new Float64Array(count);
  const header = r.byte('times header');
  const mode = header >> 4;
  const scale = header & 15;
  if ((mode === CHUNK_FORMAT.xor || mode === CHUNK_FORMAT.raw) && scale === 0) {
    decodeDoubles(r, times, mode, 'times');
  } else if ((mode === CHUNK_FORMAT.delta || mode === CHUNK_FORMAT.deltaOfDelta) && scale <= CHUNK_FORMAT.maxTimeScale) {
    let acc = r.svarint('first time');
    times[0] = acc;
    if (mode === CHUNK_FORMAT.delta) {
      unpackIntegers(r, times, 1, count);
      for (let i = 1; i < count; i++) times[i] = acc += times[i]!;
    } else if (count > 1) {
      let delta = r.uvarint('first delta');
      times[1] = acc += delta;
      unpackIntegers(r, times, 2, count);
      for (let i = 2; i < count; i++) times[i] = acc += delta += times[i]!;
    }
    if (scale > 0) {
      const p = POW10[scale]!;
      for (let i = 0; i < count; i++) times[i] = times[i]! / p;
    }
  } else throw corruptChunk(`unknown times encoding 0x${header.toString(16)}`);
  let prev = times[0]!;
  if (!Number.isFinite(prev) || !Number.isFinite(times[count - 1]!)) throw corruptChunk('a time that is not a finite number');
  for (let i = 1; i < count; i++) {
    const t = times[i]!;
    if (!(t > prev)) throw corruptChunk(`time ${i} is not after time ${i - 1}`);
    prev = t;
  }
  return times;
}
