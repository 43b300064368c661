import type { Point, PointValue } from '../Point.js';
import type { ChunkSummary } from '../chunk/ChunkSummary.js';

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
  /** True when a run with this summary lies in one bucket (column) of the range, so {@link summary} may take it whole. */
  takesSummary(summary: ChunkSummary): boolean;
  /**
   * Adds a whole run by its summary (only when {@link takesSummary} said so): the same as adding
   * its points, since the summary holds what a bucket or an M4 column keeps of them (counts,
   * numbers, sum, first and last point, min and max each with its time).
   */
  summary(summary: ChunkSummary): void;
  /** Removes and returns the output points that are final (buckets or columns that are closed). */
  take(): Point[];
  /** Closes the last bucket or column; then {@link take} once more. */
  finish(): void;
}
