/** A stored chunk as listed (without its bytes): `ref` names its row in the store. */
export interface ChunkMeta {
  readonly ref: number;
  /** Time of its first point. */
  readonly start: number;
  /** Time of its last point (inclusive). */
  readonly end: number;
  readonly count: number;
}

/** A stored chunk with its bytes. */
export interface ChunkWithData extends ChunkMeta {
  readonly data: Uint8Array;
}
