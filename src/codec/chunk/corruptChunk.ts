import { ChunkCodecError } from './ChunkCodecError.js';

/** The error for bytes that are not a chunk this codec wrote: `corrupt chunk: <why>`. */
export function corruptChunk(why: string): ChunkCodecError {
  return new ChunkCodecError(`corrupt chunk: ${why}`);
}
