import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { corruptChunk } from './corruptChunk.js';
import { decodeDoubleColumn } from './decodeDoubleColumn.js';
import { POW10 } from './POW10.js';
import { unpackIntegers } from './unpackIntegers.js';

/**
 * Reads what {@link encodeTimes} wrote for `count` points and checks that the times are finite
 * and strictly increasing (a damaged chunk that still parses is caught here).
 */
export function decodeTimes(r: ByteReader, count: number): Float64Array {
  const times = new Float64Array(count);
  const header = decodeDoubleColumn(r, times, 'times');
  if (header !== undefined) {
    const { mode, scale } = header;
    if (!((mode === CHUNK_FORMAT.delta || mode === CHUNK_FORMAT.deltaOfDelta) && scale <= CHUNK_FORMAT.maxTimeScale)) throw corruptChunk(`unknown times encoding 0x${header.byte.toString(16)}`);
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
  }
  let prev = times[0]!;
  if (!Number.isFinite(prev) || !Number.isFinite(times[count - 1]!)) throw corruptChunk('a time that is not a finite number');
  for (let i = 1; i < count; i++) {
    const t = times[i]!;
    if (!(t > prev)) throw corruptChunk(`time ${i} is not after time ${i - 1}`);
    prev = t;
  }
  return times;
}
