/** Options of {@link encodeChunk} and {@link decodeChunk}; absent fields default from {@link DEFAULT_CHUNK_CODEC_OPTIONS}. */
export interface ChunkCodecOptions {
  /**
   * Most points in one chunk, on encode and on decode: a chunk claiming more is refused as
   * corrupt before anything is allocated, so a damaged count cannot ask for gigabytes. Points.
   * Default 1,048,576 (2^20; the stores are meant to cut chunks of a few thousand).
   */
  maxPoints?: number;
}

/** Defaults of {@link ChunkCodecOptions}. */
export const DEFAULT_CHUNK_CODEC_OPTIONS = {
  maxPoints: 2 ** 20,
} satisfies Required<ChunkCodecOptions>;
