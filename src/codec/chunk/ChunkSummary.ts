import type { Point } from '../Point.js';

/**
 * What a chunk row carries beside its bytes, so ranges and aggregates can skip decoding: with the
 * count of numbers a mean folds a chunk from it, and with the times of min and max M4 places a
 * chunk's extremes without decoding it.
 */
export interface ChunkSummary {
  /** Time of the first point, unix seconds. */
  readonly start: number;
  /** Time of the last point (inclusive), unix seconds. */
  readonly end: number;
  /** Points in the chunk (at least 1). */
  readonly count: number;
  /** Smallest numeric value (as `Math.min`: -0 below +0); null when no value is a number. */
  readonly min: number | null;
  /** Largest numeric value (as `Math.max`); null when no value is a number. */
  readonly max: number | null;
  /** Sum of the numeric values, added in time order; null when no value is a number. */
  readonly sum: number | null;
  /** How many values are numbers (`null`, `true`, `false` are not): what a mean divides by. */
  readonly numbers: number;
  /** Time of the first point holding `min` (-0 and +0 told apart); null when no value is a number. */
  readonly minTime: number | null;
  /** Time of the first point holding `max`; null when no value is a number. */
  readonly maxTime: number | null;
  readonly first: Point;
  readonly last: Point;
}
