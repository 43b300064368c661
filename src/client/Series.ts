import { Observable, ReplaySubject, defer, distinctUntilChanged, map, share, switchMap } from 'rxjs';
import { isPointValue } from '../codec/isPointValue.js';
import { pointKey } from '../streams/pointKey.js';
import type { CsvTimeFormat } from '../codec/formatCsv.js';
import { formatValue } from '../codec/formatValue.js';
import { checkValue } from '../codec/parseValue.js';
import type { Point, PointValue, TimeInput } from '../codec/Point.js';
import { ParseError } from '../errors/ParseError.js';
import { latestPoint } from './latestPoint.js';
import type { SeriesData } from './encodeSeriesData.js';
import { fromAbortable } from './fromAbortable.js';
import { documentVisibility } from '../streams/documentVisibility.js';
import { liveLatest, type LiveUpdate } from '../streams/liveLatest.js';
import { pollLatest, type LatestAnswer } from '../streams/pollLatest.js';
import { nextTimeAfter } from '../codec/nextTimeAfter.js';
import { readPointPages } from './readPointPages.js';
import { isDownsampleOptions, type DownsampleOptions } from './DownsampleOptions.js';
import { lazyLiveDownsampled, lazyReadDownsampled } from './lazyDownsampled.js';
import type { LiveWindowOptions } from '../streams/liveDownsampled.js';
import { pointPages } from '../streams/pointPages.js';
import type { PauseGate } from '../streams/PauseGate.js';
import type { ClientContext } from './ClientContext.js';
import { DEFAULT_WATCH_OPTIONS, type WatchOptions } from './WatchOptions.js';

/** What a write reports once the server acknowledged it. */
export interface WriteResult {
  /** Points written (1 for a value or an increment); undefined when sent as raw CSV. */
  points: number | undefined;
}

/** Options of {@link Series.values}. */
export interface ValuesOptions {
  /** First time included (Date, unix seconds or ISO text). Default: the beginning. */
  start?: TimeInput;
  /** First time excluded. Default: no end. */
  end?: TimeInput;
  /**
   * Points per request when the server pages (`Link: rel="next"`). Default 50,000. `values()`
   * streams each page as it arrives, so it holds about one body chunk, not a page; `pages()` holds
   * one page of points (about 4 MB at the default). Our server accepts up to its `maxPageSize`
   * (default 100,000) and answers 400 above it.
   */
  pageSize?: number;
}

/**
 * Defaults of {@link ValuesOptions}. Pages of 50,000 points: each request costs both ends a fixed
 * amount (headers, auth, finding the page), which at 10,000 points a page was a third of a read;
 * at 50,000 it is a few percent, and the page stays half of our server's default `maxPageSize`.
 */
export const DEFAULT_VALUES_OPTIONS = { pageSize: 50_000 };

async function readLatest(r: Response): Promise<Point | null> {
  return latestPoint(await r.json());
}

/**
 * What a {@link Series} needs of its client: the {@link ClientContext} plus the client's pause
 * gate, the settings of `latest$` and the push event limit. `TimetricClient` is one.
 */
export interface SeriesClient extends ClientContext {
  /** The pause shared by every writer and poller of the client. */
  readonly pauseGate: PauseGate;
  /** The settings of every series' `latest$`. */
  readonly latestOptions: WatchOptions;
  /** How much of an unfinished Server-Sent Event a push connection holds, characters. */
  readonly maxPushEventChars: number;
}

/**
 * One series of a {@link TimetricClient}. Every method returns a cold Observable: nothing is sent
 * until it is subscribed, each subscription sends its own request, and unsubscribing aborts it.
 */
export class Series {
  constructor(
    /** The client this series talks through (a `TimetricClient`). */
    readonly client: SeriesClient,
    /** The 22-character series id. */
    readonly id: string,
  ) {}

  /** `/series/ID/` — the path of this series below the base URL. */
  get path(): string {
    return `/series/${this.id}/`;
  }

  /**
   * The latest point, or `null` for a series with no points. Emits once and completes.
   *
   * @example
   * ```ts
   * const point = await lastValueFrom(client.series(id).latest()); // [1764000000, 21.5] or null
   * ```
   */
  latest(): Observable<Point | null> {
    return fromAbortable(async (signal) => {
      return readLatest(await this.client.request({ method: 'GET', path: `${this.path}value/json/`, signal }));
    });
  }

  private shared: Observable<Point | null> | undefined;

  /**
   * The live latest value, shared: every subscriber of this series on this client shares one
   * connection (one Server-Sent Events stream, or one poller when the server has no push: one
   * request per interval however many subscribers), a late subscriber gets the current value at
   * once, and the connection closes when the last one unsubscribes. Emits the current point (or
   * `null` when empty) first, then each change. Settings come from the client's `latest` option
   * (default: `mode 'auto'`, polling every 5 s when it polls); see {@link watch} for one-off
   * settings. Dropped connections are reopened with backoff (polling meanwhile); a non-retryable
   * error (401, 404…) ends the stream. In browsers it disconnects while the page is hidden.
   *
   * @example
   * ```ts
   * client.series(id).latest$.subscribe((p) => console.log('now', p));
   * ```
   */
  get latest$(): Observable<Point | null> {
    return (this.shared ??= this.watch(this.client.latestOptions).pipe(
      share({ connector: () => new ReplaySubject<Point | null>(1), resetOnError: true, resetOnComplete: true, resetOnRefCountZero: true }),
    ));
  }

  /**
   * The live latest value with other settings (`mode`, `intervalMs`, …): {@link live} without the
   * transport, emitting each point once. Not shared: each subscription connects on its own (pipe
   * it through `share()` to share it).
   *
   * @example
   * ```ts
   * client.series(id).watch({ mode: 'poll', intervalMs: 1000 }).subscribe((p) => console.log(p));
   * ```
   */
  watch(options: WatchOptions = {}): Observable<Point | null> {
    return this.live(options).pipe(
      map((u) => u.point),
      distinctUntilChanged((a, b) => pointKey(a) === pointKey(b)),
    );
  }

  /**
   * The live latest value with the transport that delivered it: emits `{ point, transport }`
   * (`transport` is `'push'` or `'poll'`) when either changes, e.g. to show a connection state.
   * `mode: 'push'` uses the server's `value/events/` stream (Server-Sent Events) and reconnects
   * when it drops; `'poll'` requests `value/json/` every `intervalMs` with `If-None-Match` (an
   * unchanged series costs a `304`); `'auto'` (default) pushes when the server offers it and
   * polls when it does not (404) and while a dropped connection is being reopened. Transient
   * failures are retried with exponential backoff and jitter (honouring `Retry-After`; a 429/503
   * pauses the whole client); other errors end the stream. In browsers it disconnects while the
   * page is hidden and reconnects at once when it is shown. Not shared.
   *
   * @example
   * ```ts
   * client.series(id).live().subscribe(({ point, transport }) => console.log(transport, point));
   * ```
   */
  live(options: WatchOptions = {}): Observable<LiveUpdate> {
    const o = { ...DEFAULT_WATCH_OPTIONS, scheduler: this.client.scheduler, gate: this.client.pauseGate, visible$: documentVisibility(), ...options };
    const fetchLatest = (etag: string | undefined): Observable<LatestAnswer> =>
      fromAbortable(async (signal) => {
        const r = await this.client.request({
          method: 'GET',
          path: `${this.path}value/json/`,
          headers: etag ? { 'if-none-match': etag } : {},
          accept: [304],
          signal,
        });
        if (r.status === 304) return { modified: false } as const;
        return { modified: true, point: await readLatest(r), etag: r.headers.get('etag') ?? undefined } as const;
      });
    // Visibility is handled once, around both transports.
    const { visible$: _visible, ...pollOptions } = o;
    return liveLatest(
      {
        // The event-stream code (with its SSE parser) is loaded on the first push connection: a chunk of its own.
        push: () =>
          defer(() => import('./latestEvents.js')).pipe(switchMap(({ latestEvents }) => latestEvents(this.client, this.path, o.pushIdleMs, this.client.maxPushEventChars))),
        poll: () => pollLatest(fetchLatest, pollOptions),
      },
      o,
    );
  }

  /** The whole history as CSV text (`'unix'` seconds or `'iso'` 8601 timestamps). Emits once. */
  csv(format: CsvTimeFormat = 'unix'): Observable<string> {
    return fromAbortable(async (signal) => {
      const r = await this.client.request({ method: 'GET', path: `${this.path}csv/${format === 'iso' ? 'iso.csv' : ''}`, signal });
      return r.text();
    });
  }

  /**
   * The points in a range, ascending, one at a time. Asks for pages of `pageSize` and follows the
   * server's `Link: rel="next"` while it offers one; a server without paging sends everything in
   * one response. Bodies are parsed as they arrive, so memory stays bounded by the page. A network
   * error, timeout or 408/429/502/503/504 mid-read resumes from the last emitted timestamp (no
   * duplicates, no gaps) after a backoff, up to 5 consecutive failures without progress.
   * Completes after the last point; otherwise errors with the request's error.
   *
   * With `every` (and `agg`: `mean` by default, `min`, `max`, `first`, `last`, `sum`, `count`) or
   * `points` and `agg: 'm4'`, a downsampled read of `[start, end)` instead: one point per non-empty
   * bucket of `every` seconds (aligned to the epoch, stamped with its start), or M4's first, last,
   * smallest and largest point of each of `points` columns. The server computes it when it has the
   * extension (its answer says so); otherwise the client computes the same points from the raw
   * stream. A bad option errors with a `ConfigurationError` naming it.
   *
   * @example
   * ```ts
   * client.series(id).values({ start: '2025-01-01' }).subscribe(([t, v]) => console.log(t, v));
   * client.series(id).values({ start: '2025-01-01', end: '2026-01-01', every: 86_400, agg: 'max' }).subscribe(console.log);
   * client.series(id).values({ start: 0, end: Date.now() / 1000, points: 1600, agg: 'm4' }).subscribe(console.log);
   * ```
   */
  values(options: ValuesOptions | DownsampleOptions = {}): Observable<Point> {
    if (isDownsampleOptions(options)) return lazyReadDownsampled(this.client, this.path, options);
    return readPointPages(this.client, this.path, { ...options, pageSize: options.pageSize ?? DEFAULT_VALUES_OPTIONS.pageSize });
  }

  /**
   * The same points as {@link values}, as an async iterable of arrays of at most `pageSize` points
   * with pull backpressure: the next page is requested only when the loop asks for it (see
   * `pointPages`). Breaking out of the loop aborts the request in flight.
   *
   * @example
   * ```ts
   * for await (const page of client.series(id).pages({ pageSize: 5000 })) console.log(page.length);
   * ```
   */
  pages(options: ValuesOptions = {}): AsyncIterable<Point[]> {
    const pageSize = options.pageSize ?? DEFAULT_VALUES_OPTIONS.pageSize;
    // One request per page: it starts just after the cursor (the wire's start is inclusive) and
    // nothing is asked ahead, since the consumer may never want the next page.
    return pointPages(
      (after) => readPointPages(this.client, this.path, { ...options, ...(after === undefined ? {} : { start: nextTimeAfter(after) }), pageSize, ahead: false }),
      pageSize,
    );
  }

  /**
   * A live downsampled window from `start` on: buckets of `every` seconds (`agg`, default `mean`)
   * as {@link values} gives them, emitted as the whole window (a new array) once read, then after
   * every new point of {@link latest$}: the last bucket updated in place, a new bucket appended when
   * time moves on. The buckets before the current one are read downsampled, the current one from its
   * raw points (see `liveDownsampled`). Completes when `latest$` does; errors with any read.
   *
   * @example
   * ```ts
   * client.series(id).liveValues({ start: Date.now() / 1000 - 86_400, every: 60, agg: 'max' }).subscribe((window) => draw(window));
   * ```
   */
  liveValues(options: LiveWindowOptions): Observable<readonly Point[]> {
    const { start, every } = options;
    const agg = options.agg ?? 'mean';
    return lazyLiveDownsampled(
      {
        history: (end) => this.values({ start, end, every, agg }),
        raw: (from) => this.values({ start: from }),
        latest$: this.latest$,
      },
      { start, every, agg },
    );
  }

  /** The whole history, one point at a time: `values()` with default options. */
  get values$(): Observable<Point> {
    return this.values();
  }

  /**
   * Adds points. `data` is a single value (appended at the server's "now"), pairs `[time, value]`
   * (an array, any iterable, or an async iterable; time as Date, unix seconds or ISO text, always
   * UTC), CSV text, a `Blob` of CSV, or a `ReadableStream` of CSV. A point at an existing time
   * replaces it. One request, applied all or nothing. Emits one {@link WriteResult}.
   */
  update(data: PointValue | SeriesData): Observable<WriteResult> {
    return fromAbortable(async (signal) => {
      if (isPointValue(data)) {
        await this.client.request({ method: 'POST', path: this.path, form: { value: formatValue(checkValue(data)) }, signal });
        return { points: 1 };
      }
      const { encodeSeriesData } = await import('./seriesRequestsChunk.js');
      const { csv, points } = await encodeSeriesData(data, signal);
      await this.client.request({ method: 'POST', path: this.path, body: csv, headers: { 'content-type': 'text/csv' }, signal });
      return { points };
    });
  }

  /** Appends latest + `delta` at the server's "now" (0 + delta on an empty series). Not idempotent. */
  increment(delta: number): Observable<WriteResult> {
    return fromAbortable(async (signal) => {
      if (typeof delta !== 'number' || !Number.isFinite(delta)) {
        throw new ParseError(`increment must be a finite number, got ${String(delta)}`, { text: String(delta) });
      }
      await this.client.request({ method: 'POST', path: this.path, form: { increment: String(delta) }, signal });
      return { points: 1 };
    });
  }

  /** `increment(-delta)`. */
  decrement(delta: number): Observable<WriteResult> {
    return this.increment(-delta);
  }

  /** Replaces the whole history with `data` (metadata untouched). Emits one {@link WriteResult}. */
  rewrite(data: SeriesData): Observable<WriteResult> {
    return fromAbortable(async (signal) => {
      const { encodeSeriesData } = await import('./seriesRequestsChunk.js');
      const { csv, points } = await encodeSeriesData(data, signal);
      await this.client.request({ method: 'PUT', path: this.path, body: csv, headers: { 'content-type': 'text/csv' }, signal });
      return { points };
    });
  }

  /** Deletes the series; later requests get {@link NotFoundError}. Emits `true` once done. */
  delete(): Observable<true> {
    return fromAbortable(async (signal) => {
      await this.client.request({ method: 'DELETE', path: this.path, signal });
      return true as const;
    });
  }
}
