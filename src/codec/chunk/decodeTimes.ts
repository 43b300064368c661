import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { corruptChunk } from './corruptChunk.js';
import { decodeDoubleColumn } from './decodeDoubleColumn.js';
import { POW10 } from './POW10.js';
import { unpackIntegers } from './unpackIntegers.js';

/**
 * Reads what {@link encodeTimes} wrote for `count` points and checks that the times are finite
 * and strictly increasing (a damaged chunk that still parses is caught here), into `times` (of
 * length `count`; every element is written).
 */
export function decodeTimes(r: ByteReader, count: number, times: Float64Array = new Float64Array(count)): Float64Array {
  const header = decodeDoubleColumn(r, times, 'times');
  if (header === undefined) {
    checkIncreasing(times, count);
    return times;
  }
  const { mode, scale } = header;
  if (!((mode === CHUNK_FORMAT.delta || mode === CHUNK_FORMAT.deltaOfDelta) && scale <= CHUNK_FORMAT.maxTimeScale)) throw corruptChunk(`unknown times encoding 0x${header.byte.toString(16)}`);
  // Summed, scaled and checked in one pass: each time is its integer sum divided once.
  const p = POW10[scale]!;
  let acc = r.svarint('first time');
  let prev = (times[0] = acc / p);
  if (!Number.isFinite(prev)) throw corruptChunk('a time that is not a finite number');
  if (mode === CHUNK_FORMAT.delta) {
    unpackIntegers(r, times, 1, count);
    for (let i = 1; i < count; i++) {
      const t = (acc += times[i]!) / p;
      if (!(t > prev)) throw corruptChunk(`time ${i} is not after time ${i - 1}`);
      times[i] = prev = t;
    }
  } else if (count > 1) {
    let delta = r.uvarint('first delta');
    unpackIntegers(r, times, 2, count);
    let t = (acc += delta) / p;
    if (!(t > prev)) throw corruptChunk('time 1 is not after time 0');
    times[1] = prev = t;
    for (let i = 2; i < count; i++) {
      t = (acc += delta += times[i]!) / p;
      if (!(t > prev)) throw corruptChunk(`time ${i} is not after time ${i - 1}`);
      times[i] = prev = t;
    }
  }
  if (!Number.isFinite(prev)) throw corruptChunk('a time that is not a finite number');
  return times;
}

/** Fails unless the decoded doubles `times[0, count)` are finite and strictly increasing. */
function checkIncreasing(times: Float64Array, count: number): void {
  let prev = times[0]!;
  if (!Number.isFinite(prev) || !Number.isFinite(times[count - 1]!)) throw corruptChunk('a time that is not a finite number');
  for (let i = 1; i < count; i++) {
    const t = times[i]!;
    if (!(t > prev)) throw corruptChunk(`time ${i} is not after time ${i - 1}`);
    prev = t;
  }
}
