import { Observable, map, toArray } from 'rxjs';
import { CsvPointDecoder, type Point, type Series } from '../index.js';

/** The points of one series for one view, and how they were read. */
export interface LoadedPoints {
  points: Point[];
  /** `'m4'`: per pixel column, its first, last, smallest and largest point (which are every raw point once they fit); `'raw'`: every point. */
  resolution: 'm4' | 'raw';
}

/**
 * Every point of `series` in the window, from one unpaged CSV read decoded as it arrives into one
 * array: `values()` would emit them one by one, which for millions of points costs more than the
 * transfer.
 */
function readAll(series: Series, window: { start: number; end: number }): Observable<Point[]> {
  return new Observable<Point[]>((subscriber) => {
    const controller = new AbortController();
    const run = async (): Promise<Point[]> => {
      const r = await series.client.request({ method: 'GET', path: `${series.path}csv/`, query: { start: String(window.start), end: String(window.end) }, signal: controller.signal });
      const decoder = new CsvPointDecoder();
      const points: Point[] = [];
      const add = (batch: Point[]): void => {
        for (const p of batch) points.push(p);
      };
      if (!r.body) add(decoder.push(await r.text()));
      else {
        const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          add(decoder.push(value));
        }
      }
      add(decoder.end());
      return points;
    };
    run().then(
      (points) => {
        subscriber.next(points);
        subscriber.complete();
      },
      (err: unknown) => subscriber.error(err),
    );
    return () => controller.abort();
  });
}

/**
 * The points of `series` in `[start, end)` for a chart `columns` pixels wide: one request for the
 * window's M4 summary, one column per pixel (`series.values({ points, agg: 'm4' })`: the server
 * computes it, or the client folds the raw points of a server without the extension), which is
 * every raw point once the window holds no more than a few points a column; with `raw`, every
 * point, in one request. Cold; unsubscribing aborts the request.
 */
export function loadPoints(series: Series, window: { start: number; end: number }, columns: number, raw: boolean): Observable<LoadedPoints> {
  if (raw) return readAll(series, window).pipe(map((points) => ({ points, resolution: 'raw' as const })));
  // One column per device pixel of the plot, over the window the plot shows: the columns are the
  // plot's pixel columns, which is what pixelColumnLine draws by.
  const n = Math.max(1, Math.min(100_000, Math.round(columns)));
  return series.values({ start: window.start, end: window.end, points: n, agg: 'm4' }).pipe(
    toArray(),
    map((points) => ({ points, resolution: 'm4' as const })),
  );
}
