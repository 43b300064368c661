import type { PointValue } from '../Point.js';

/** A decoded chunk as columns: `values[i]` is the value at `times[i]`. */
export interface ChunkColumns {
  /** Unix seconds, strictly increasing. */
  readonly times: Float64Array;
  /**
   * The values: a `Float64Array` when every one is a number (no array element per point; it is
   * an `ArrayLike<PointValue>` as `encodeCsvColumns` takes it), otherwise an array of numbers,
   * `null`, `true` and `false`.
   */
  readonly values: Float64Array | PointValue[];
}
