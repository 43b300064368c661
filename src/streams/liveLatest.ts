import { BehaviorSubject, EMPTY, NEVER, Observable, Subject, catchError, concat, defer, distinctUntilChanged, exhaustMap, filter, map, merge, switchMap, takeUntil, tap, throwError } from 'rxjs';
import type { Point } from '../codec/Point.js';
import { isPushUnavailable } from './isPushUnavailable.js';
import { isTransientReadError } from './isTransientReadError.js';
import { pointKey } from './pointKey.js';
import { DEFAULT_POLL_OPTIONS, pollRetryPolicy, type PollOptions } from './pollLatest.js';
import { retryThroughGate } from './retry/retryThroughGate.js';

/** How a live value is fetched: `'push'` (Server-Sent Events), `'poll'`, or `'auto'` (push when the server has it, else poll). */
export type LiveMode = 'auto' | 'poll' | 'push';

/** The transport that delivered a {@link LiveUpdate}. */
export type LiveTransport = 'push' | 'poll';

/** One emission of a live stream: the latest point (`null` for an empty series) and how it arrived. */
export interface LiveUpdate {
  point: Point | null;
  transport: LiveTransport;
}

/** Options of {@link liveLatest}: the polling options (also the reconnect backoff) plus the mode. */
export interface LiveOptions extends PollOptions {
  /** `'auto'` (default), `'push'` or `'poll'`. */
  mode?: LiveMode;
}

/** Defaults of {@link LiveOptions}: the polling defaults and `mode: 'auto'`. */
export const DEFAULT_LIVE_OPTIONS = { ...DEFAULT_POLL_OPTIONS, mode: 'auto' } satisfies Required<Omit<LiveOptions, 'visible$' | 'gate'>>;

/** The two ways {@link liveLatest} can reach the server. Both are cold: each subscription opens its own. */
export interface LiveSources {
  /** Opens the push stream: the current point first, then one per change; completes or errors when the connection ends. */
  push: () => Observable<Point | null>;
  /** Polls on its own schedule (see `pollLatest`), erroring only on errors it does not retry. */
  poll: () => Observable<Point | null>;
}

/**
 * The live latest value over push, poll, or push with a polling fallback (`'auto'`). Emits
 * `{ point, transport }` when the point changes or when the transport changes (so a dashboard can
 * show "push" or "poll"), never the same pair twice in a row.
 *
 * - `'push'`: keeps one push connection open; when it drops (network error, timeout, 408/429/5xx,
 *   or the server ending it) it reconnects after exponential backoff with jitter (honouring
 *   `Retry-After`; the count resets once a connection delivers). Other errors end the stream.
 * - `'poll'`: the poller alone.
 * - `'auto'`: push; when the server has no push endpoint (see `isPushUnavailable`) it polls for
 *   the rest of the subscription; when a push connection drops it polls at once and retries push
 *   with the same backoff, stopping the poller as soon as a new connection delivers.
 *
 * While `visible$` says false, every connection and poller is closed; they reopen at once when it
 * turns true. 429/503 answers close the shared `gate`, and every connection attempt waits for it.
 * Every timer runs on `scheduler`; reconnects go through `retryThroughGate`.
 *
 * @example
 * ```ts
 * import { liveLatest } from './liveLatest.js'; // internal: Series.live() is built on it
 * liveLatest({ push: () => openEvents(), poll: () => pollLatest(fetchAnswer) }).subscribe(({ point, transport }) => console.log(transport, point));
 * ```
 *
 * @param sources - How to push and how to poll; both cold.
 * @param options - See {@link LiveOptions}; defaults in {@link DEFAULT_LIVE_OPTIONS}.
 * @returns The updates, each distinct from the one before.
 */
export function liveLatest(sources: LiveSources, options: LiveOptions = {}): Observable<LiveUpdate> {
  const { mode } = { ...DEFAULT_LIVE_OPTIONS, ...options };
  const policy = pollRetryPolicy(options, 'liveLatest');
  return new Observable<LiveUpdate>((subscriber) => {
    let lastKey: string | undefined;
    let lastTransport: LiveTransport | undefined;
    let pushOff = mode === 'poll';
    const visible = new BehaviorSubject(true);
    const visibility = options.visible$?.subscribe((isVisible) => visible.next(isVisible));

    const poll$ = (): Observable<LiveUpdate> => sources.poll().pipe(map((point) => ({ point, transport: 'poll' as const })));
    // Everything one visible stretch runs; closed (connection, poller, reconnect wait) when hidden.
    const live$ = defer((): Observable<LiveUpdate> => {
      if (pushOff) return poll$();
      const dropped$ = new Subject<void>();
      const delivered$ = new Subject<void>();
      const isDrop = (err: unknown): boolean => err === ENDED || isTransientReadError(err);
      const connection = (): Observable<Point | null> => {
        let delivered = false;
        // A connection the server ends normally is a drop too: reopened with the same backoff.
        return concat(sources.push(), throwError(() => ENDED)).pipe(
          tap({
            next: () => {
              if (delivered) return;
              delivered = true;
              delivered$.next();
            },
            error: (err: unknown) => {
              if (isDrop(err)) dropped$.next();
            },
          }),
        );
      };
      const push$ = retryThroughGate(connection, { ...policy, shouldRetry: isDrop }).pipe(
        map((point) => ({ point, transport: 'push' as const })),
        catchError((err: unknown) => {
          if (mode !== 'auto' || !isPushUnavailable(err)) return throwError(() => err);
          pushOff = true; // polls for the rest of the subscription
          dropped$.next();
          return NEVER;
        }),
      );
      if (mode !== 'auto') return push$;
      // Polls from a drop until the next connection delivers.
      const fallback$ = dropped$.pipe(exhaustMap(() => poll$().pipe(takeUntil(delivered$))));
      return merge(fallback$, push$);
    });

    const updates = visible
      .pipe(
        distinctUntilChanged(),
        switchMap((isVisible) => (isVisible ? live$ : EMPTY)),
        filter(({ point, transport }) => {
          const key = pointKey(point);
          if (key === lastKey && transport === lastTransport) return false;
          lastKey = key;
          lastTransport = transport;
          return true;
        }),
      )
      .subscribe(subscriber);
    return () => {
      visibility?.unsubscribe();
      updates.unsubscribe();
    };
  });
}

// Stands for "the server ended the push stream" inside the retry loop; never leaves it.
const ENDED: unique symbol = Symbol('push ended');
