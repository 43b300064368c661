import type { Point } from '../Point.js';

/** The output a `Downsampler` keeps until it is taken: both downsamplers extend it. */
export abstract class PointOutbox {
  /** Final points not yet taken, ascending. */
  protected out: Point[] = [];

  /** Removes and returns the points kept so far. */
  take(): Point[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}
