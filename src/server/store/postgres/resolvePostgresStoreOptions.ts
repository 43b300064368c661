import { DEFAULT_CHUNK_STORE_OPTIONS, type ChunkStoreOptions } from '../chunks/chunkStoreOptions.js';
import { DEFAULT_CHUNK_CODEC_OPTIONS } from '../../../codec/chunk/chunkCodecOptions.js';
import { DEFAULT_POSTGRES_STORE_OPTIONS, type PostgresStoreOptions } from './postgresStoreOptions.js';

/** {@link PostgresStoreOptions} with every field present. */
export type ResolvedPostgresStoreOptions = Required<Omit<PostgresStoreOptions, 'chunks'>> & { chunks: Required<ChunkStoreOptions> };

function integer(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`openPostgresStore: ${name} must be an integer from ${min} to ${max}, not ${String(value)}`);
  }
}

/**
 * The defaults merged with `options` (one spread each), checked: an impossible value (a chunk
 * larger than the codec takes, a zero batch) is a RangeError naming the option, not a store that
 * fails later.
 */
export function resolvePostgresStoreOptions(options: PostgresStoreOptions): ResolvedPostgresStoreOptions {
  const o = { ...DEFAULT_POSTGRES_STORE_OPTIONS, ...options, chunks: { ...DEFAULT_CHUNK_STORE_OPTIONS, ...options.chunks } };
  integer('poolSize', o.poolSize, 1);
  integer('migrateBatchPoints', o.migrateBatchPoints, 1);
  integer('stagedRunPoints', o.stagedRunPoints, 1);
  // A written chunk holds up to 1.25 × chunkPoints points (ChunkWriter.finish).
  integer('chunks.chunkPoints', o.chunks.chunkPoints, 1, Math.floor(DEFAULT_CHUNK_CODEC_OPTIONS.maxPoints / 1.25));
  integer('chunks.headWritePoints', o.chunks.headWritePoints, 0);
  integer('chunks.compactHeadAt', o.chunks.compactHeadAt, 1);
  integer('chunks.chunksPerStep', o.chunks.chunksPerStep, 1);
  integer('chunks.compactEveryMs', o.chunks.compactEveryMs, 0, 2 ** 31 - 1);
  return o;
}
