/** Options of {@link encodeChunk} and {@link decodeChunk}; absent fields default from {@link DEFAULT_CHUNK_CODEC_OPTIONS}. */
export interface ChunkCodecOptions {
  /**
   * Most points in one chunk, on encode and on decode: a chunk claiming more is refused as
   * corrupt before anything is allocated, so a damaged count cannot ask for gigabytes, and no
   * chunk holds the event loop long (the worst data, random bit patterns, encodes at ~5 M
   * points/s: ~26 ms for 131,072). Points. Default 131,072 (2^17; the stores cut chunks of a few
   * thousand).
   */
  maxPoints?: number;
}

/** Defaults of {@link ChunkCodecOptions}. */
export const DEFAULT_CHUNK_CODEC_OPTIONS = {
  maxPoints: 131_072,
} satisfies Required<ChunkCodecOptions>;
