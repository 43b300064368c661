import { ByteReader } from '../chunk/ByteReader.js';
import { CHUNK_FORMAT } from '../chunk/chunkFormat.js';
import { corruptChunk } from '../chunk/corruptChunk.js';
import { decodeKinds } from '../chunk/decodeKinds.js';
import { decodeTimes } from '../chunk/decodeTimes.js';

/**
 * How many of a chunk's values are numbers (what a `mean` needs beyond the chunk's summary), read
 * from its times and kinds sections without decoding the numbers, the costly part of a chunk.
 * Throws `ChunkCodecError` for bytes `encodeChunk` did not write, as `decodeChunk` does.
 */
export function countChunkNumbers(bytes: Uint8Array): number {
  const r = new ByteReader(bytes);
  const version = r.byte('version');
  if (version !== CHUNK_FORMAT.version) throw corruptChunk(`format version ${version}; this codec reads version ${CHUNK_FORMAT.version}`);
  const count = r.uvarint('point count');
  if (count < 1) throw corruptChunk(`${count} points`);
  // The kinds follow the times, whose encoding has no length prefix: they are read to get past them.
  decodeTimes(r, count);
  const kinds = decodeKinds(r, count);
  if (!kinds) return count;
  let numbers = 0;
  for (let i = 0; i < count; i++) if (kinds[i] === CHUNK_FORMAT.kindNumber) numbers++;
  return numbers;
}
