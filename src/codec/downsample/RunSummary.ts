import type { ChunkSummary } from '../chunk/ChunkSummary.js';

/**
 * What a downsampler needs to know of a run of consecutive points (a stored chunk) to take it
 * whole, without its points: the chunk summary (count, min / max / sum over the numbers, first and
 * last point) and — when known — how many of the values are numbers (`mean` needs it; without it a
 * run that holds numbers is taken point by point).
 */
export interface RunSummary extends ChunkSummary {
  /** Numeric values in the run, when known. */
  readonly numbers?: number | undefined;
}
