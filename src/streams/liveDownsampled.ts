import { Observable, concat, defer, of, type Subscription } from 'rxjs';
import type { BucketAggregate } from '../codec/downsample/BucketAggregate.js';
import { BucketDownsampler } from '../codec/downsample/BucketDownsampler.js';
import type { Point } from '../codec/Point.js';

/** Where a live downsampled window gets its points (`Series.liveValues` wires them to the series). */
export interface LiveWindowSources {
  /** The downsampled read of `[start, end)`: the buckets before the open one (a cold Observable). */
  history(end: number): Observable<Point>;
  /** The raw points from `start` on, ascending (a cold Observable): the open bucket's points so far. */
  raw(start: number): Observable<Point>;
  /** The live latest point (`Series.latest$`): the current point first, then each change; `null` while empty. */
  latest$: Observable<Point | null>;
}

/** Options of {@link liveDownsampled}. */
export interface LiveWindowOptions {
  /** First time of the window, unix seconds. */
  start: number;
  /** Bucket width, seconds (> 0); buckets aligned to multiples of it from the epoch. */
  every: number;
  /** How a bucket's points become its value. Default `mean`. */
  agg?: BucketAggregate;
}

/**
 * A live downsampled window from `start` on: emits the window's points (one per non-empty bucket of
 * `every` seconds, stamped with its start, as `Series.values({ every, agg })` gives them) first once
 * the history is read, then after every new point from `latest$`: the last bucket updated in place
 * while the point falls in it, a new bucket appended when time moves on. Each emission is a new
 * array; the ones before the last bucket never change.
 *
 * How: at the first point of `latest$` (at time T), the buckets before T's bucket are read
 * downsampled (`history`), and T's bucket from its raw points (`raw`), so its aggregate can be
 * carried on point by point (a mean needs the count). Points of `latest$` that arrive meanwhile are
 * applied afterwards; a point at or before the last one folded is already in (`latest$` repeats the
 * current point on reconnecting) and is skipped. Errors of any source end the window; it completes
 * when `latest$` does. All state lives in the subscription: each subscriber reads its own history.
 *
 * @example
 * ```ts
 * import { liveDownsampled } from 'timetric';
 * liveDownsampled(
 *   { history: (end) => series.values({ start, end, every: 60 }), raw: (from) => series.values({ start: from }), latest$: series.latest$ },
 *   { start, every: 60 },
 * ).subscribe((points) => chart.setData(points));
 * ```
 */
export function liveDownsampled(sources: LiveWindowSources, options: LiveWindowOptions): Observable<readonly Point[]> {
  const { start, every } = options;
  const agg = options.agg ?? 'mean';
  return new Observable<readonly Point[]>((subscriber) => {
    const closed: Point[] = [];
    const fold = new BucketDownsampler({ start, end: Infinity, every, agg });
    /** Points before this time are in the history read. */
    let from = start;
    let last = -Infinity;
    let loading = true;
    let liveDone = false;
    let loader: Subscription | undefined;
    const pending: Point[] = [];
    const add = (p: Point): boolean => {
      if (!(p[0] > last && p[0] >= from)) return false;
      last = p[0];
      fold.point(p[0], p[1]);
      closed.push(...fold.take());
      return true;
    };
    const emit = (): void => {
      const open = fold.current();
      subscriber.next(open ? [...closed, open] : [...closed]);
    };
    const load = (first: Point | null): void => {
      from = first === null ? start : Math.max(start, Math.floor(first[0] / every) * every);
      const history = from > start ? defer(() => sources.history(from)) : of<Point>();
      let raw = false;
      loader = concat(
        history,
        defer(() => ((raw = true), sources.raw(from))),
      ).subscribe({
        next: (p) => void (raw ? add(p) : closed.push(p)),
        error: (err: unknown) => subscriber.error(err),
        complete: () => {
          loading = false;
          for (const p of pending.splice(0)) add(p);
          emit();
          if (liveDone) subscriber.complete();
        },
      });
    };
    let started = false;
    const live = sources.latest$.subscribe({
      next: (p) => {
        if (!started) {
          started = true;
          load(p);
        } else if (p !== null) {
          if (loading) pending.push(p);
          else if (add(p)) emit();
        }
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => {
        liveDone = true;
        if (!started || !loading) subscriber.complete();
      },
    });
    return () => {
      live.unsubscribe();
      loader?.unsubscribe();
    };
  });
}
