import type { Point, PointValue } from '../Point.js';
import type { RunSummary } from './RunSummary.js';

/**
 * Folds a series' points, in ascending time, into a downsampled read ({@link createDownsampler}).
 * Points outside the spec's `[start, end)` are ignored, so a raw stream of the whole history may
 * be fed as it is. A run of points that lies inside one bucket (column) may be added whole from its
 * summary instead, when {@link takesSummary} says the summary is enough — the server's way of
 * skipping the decoding of most chunks; the result is the same as adding its points.
 *
 * The same code runs on the server (over chunk summaries) and in the client (over the raw stream of
 * a server without the extension), so both give the same points.
 */
export interface Downsampler {
  /** Adds one point; times must increase from call to call (and across runs). */
  point(time: number, value: PointValue): void;
  /** Adds points `from` (inclusive) to `to` (exclusive) of two columns, ascending. */
  points(times: ArrayLike<number>, values: ArrayLike<PointValue>, from?: number, to?: number): void;
  /** True when a run with this summary lies in one bucket of the range and its summary alone says enough. */
  takesSummary(summary: RunSummary): boolean;
  /**
   * Adds a whole run by its summary (only when {@link takesSummary} said so). `ref` names the run
   * for {@link unresolved}: M4 needs the time of a column's smallest and largest point, which a
   * summary does not hold.
   */
  summary(summary: RunSummary, ref: number): void;
  /**
   * Runs whose points are needed before the points folded so far can be emitted: M4 columns
   * (closed or still open) whose minimum or maximum came from a summary. Hand each one's points
   * to {@link resolve}.
   */
  unresolved(): readonly number[];
  /** The points of run `ref` (all of them, ascending), to place the summary's minimum and maximum. */
  resolve(ref: number, times: ArrayLike<number>, values: ArrayLike<PointValue>): void;
  /** Removes and returns the output points that are final (buckets or columns that are closed and resolved). */
  take(): Point[];
  /** Closes the last bucket or column; then {@link unresolved}, {@link resolve} and {@link take} once more. */
  finish(): void;
}
