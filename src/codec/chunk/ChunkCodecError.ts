import { TimetricError } from '../../errors/TimetricError.js';

/**
 * The chunk codec refused its input: points that cannot form a chunk (on encode: times not
 * strictly increasing, a value that is not a finite number, `null`, `true` or `false`, too many
 * points), or bytes that are not a chunk this codec wrote (on decode: truncated, corrupt, an
 * unknown format version). The message names the index or the section at fault.
 */
export class ChunkCodecError extends TimetricError {
  override name = 'ChunkCodecError';
}
