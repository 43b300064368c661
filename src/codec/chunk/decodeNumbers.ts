import type { ByteReader } from './ByteReader.js';
import { CHUNK_FORMAT } from './chunkFormat.js';
import { corruptChunk } from './corruptChunk.js';
import { decodeDoubleColumn } from './decodeDoubleColumn.js';
import { POW10 } from './POW10.js';
import { unpackIntegers } from './unpackIntegers.js';

/**
 * Reads what {@link encodeNumbers} wrote for `count` values into `numbers` (of length `count`;
 * every element is written); a value that is not finite is corrupt.
 */
export function decodeNumbers(r: ByteReader, count: number, numbers: Float64Array = new Float64Array(count)): Float64Array {
  const header = decodeDoubleColumn(r, numbers, 'values');
  if (header === undefined) {
    for (let i = 0; i < count; i++) if (!Number.isFinite(numbers[i]!)) throw corruptChunk(`value ${i} is not a finite number`);
    return numbers;
  }
  const { mode, scale } = header;
  if (mode !== CHUNK_FORMAT.delta || scale > CHUNK_FORMAT.maxValueScale) throw corruptChunk(`unknown values encoding 0x${header.byte.toString(16)}`);
  let acc = r.svarint('first value');
  unpackIntegers(r, numbers, 1, count);
  // Summed and scaled in one pass: each value is its integer sum divided once, as before.
  if (scale > 0) {
    const p = POW10[scale]!;
    numbers[0] = acc / p;
    for (let i = 1; i < count; i++) numbers[i] = (acc += numbers[i]!) / p;
  } else {
    numbers[0] = acc;
    for (let i = 1; i < count; i++) numbers[i] = acc += numbers[i]!;
  }
  const runs = r.uvarint('runs of -0 values');
  for (let k = 0, next = 0; k < runs; k++) {
    const start = next + r.uvarint('start of a run of -0');
    const end = start + r.uvarint('length of a run of -0') + 1;
    if (end > count) throw corruptChunk(`a run of -0 values reaching past value ${count - 1}`);
    for (let i = start; i < end; i++) {
      if (numbers[i] !== 0) throw corruptChunk(`value ${i} marked -0 is not 0`);
      numbers[i] = -0;
    }
    next = end;
  }
  return numbers;
}
