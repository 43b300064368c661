import { map, toArray, type Observable } from 'rxjs';
import type { Point, Series } from '../index.js';

/** The points of one series for one view, and how they were read. */
export interface LoadedPoints {
  points: Point[];
  /** `'m4'`: per pixel column, its first, last, smallest and largest point (which are every raw point once they fit); `'raw'`: every point. */
  resolution: 'm4' | 'raw';
}

/** Largest page asked for when reading every raw point: our server's maximum. */
const RAW_PAGE = 100_000;

/**
 * The points of `series` in `[start, end)` for a chart `columns` pixels wide: one request for the
 * window's M4 summary at `columns` columns (`series.values({ points, agg: 'm4' })`: the server
 * computes it, or the client folds the raw points of a server without the extension), which is
 * every raw point once the window holds no more than a few points a column; with `raw`, every
 * point (pages of 100,000). Cold; unsubscribing aborts the request.
 */
export function loadPoints(series: Series, window: { start: number; end: number }, columns: number, raw: boolean): Observable<LoadedPoints> {
  const points$ = raw
    ? series.values({ start: window.start, end: window.end, pageSize: RAW_PAGE })
    : series.values({ start: window.start, end: window.end, points: Math.max(1, Math.min(100_000, Math.round(columns))), agg: 'm4' });
  return points$.pipe(
    toArray(),
    map((points) => ({ points, resolution: raw ? ('raw' as const) : ('m4' as const) })),
  );
}
