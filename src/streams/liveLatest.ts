import { Observable, asyncScheduler, switchMap, type SchedulerLike, type Subscription } from 'rxjs';
import { pointKey } from './pointKey.js';
import type { Point } from '../codec/Point.js';
import { backoffDelay } from './backoffDelay.js';
import { isPushUnavailable } from './isPushUnavailable.js';
import { isTransientReadError } from './isTransientReadError.js';
import { DEFAULT_POLL_OPTIONS, type PollOptions } from './pollLatest.js';
import { retryAfterMs } from './retryAfterMs.js';

/** How a live value is fetched: `'push'` (Server-Sent Events), `'poll'`, or `'auto'` (push when the server has it, else poll). */
export type LiveMode = 'auto' | 'poll' | 'push';

/** The transport that delivered a {@link LiveUpdate}. */
export type LiveTransport = 'push' | 'poll';

/** One emission of a live stream: the latest point (`null` for an empty series) and how it arrived. */
export interface LiveUpdate {
  point: Point | null;
  transport: LiveTransport;
}

/** Options of {@link liveLatest}: the polling options plus the mode. */
export interface LiveOptions extends PollOptions {
  /** `'auto'` (default), `'push'` or `'poll'`. */
  mode?: LiveMode;
}

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
 * Every timer runs on `scheduler`.
 */
export function liveLatest(sources: LiveSources, options: LiveOptions = {}): Observable<LiveUpdate> {
  const mode = options.mode ?? 'auto';
  const intervalMs = options.intervalMs ?? DEFAULT_POLL_OPTIONS.intervalMs;
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_POLL_OPTIONS.maxBackoffMs;
  const random = options.random ?? Math.random;
  const scheduler: SchedulerLike = options.scheduler ?? asyncScheduler;
  const gate = options.gate;
  return new Observable<LiveUpdate>((subscriber) => {
    let lastKey: string | undefined;
    let lastTransport: LiveTransport | undefined;
    let pushOff = mode === 'poll';
    let failures = 0;
    let visible = true;
    let pushing: Subscription | undefined;
    let polling: Subscription | undefined;
    let timer: Subscription | undefined;

    const emit = (point: Point | null, transport: LiveTransport): void => {
      const key = pointKey(point);
      if (key === lastKey && transport === lastTransport) return;
      lastKey = key;
      lastTransport = transport;
      subscriber.next({ point, transport });
    };
    const stopPoll = (): void => {
      polling?.unsubscribe();
      polling = undefined;
    };
    const startPoll = (): void => {
      polling ??= sources.poll().subscribe({
        next: (p) => emit(p, 'poll'),
        error: (err: unknown) => subscriber.error(err),
      });
    };
    const stopAll = (): void => {
      pushing?.unsubscribe();
      timer?.unsubscribe();
      stopPoll();
      pushing = timer = undefined;
    };
    const dropped = (err: unknown): void => {
      pushing = undefined;
      if (err !== undefined && !isTransientReadError(err)) {
        if (mode === 'auto' && isPushUnavailable(err)) {
          pushOff = true;
          startPoll();
        } else {
          subscriber.error(err);
        }
        return;
      }
      failures++;
      const asked = err === undefined ? undefined : retryAfterMs(err, scheduler.now());
      const delay = Math.min(maxBackoffMs, Math.max(asked ?? 0, backoffDelay(failures, intervalMs, maxBackoffMs, random)));
      gate?.pauseOn(err, delay, scheduler.now());
      if (mode === 'auto') startPoll();
      timer = scheduler.schedule(() => {
        timer = undefined;
        connect();
      }, delay);
    };
    const connect = (): void => {
      let delivered = false;
      const push$ = gate ? gate.whenOpen(scheduler).pipe(switchMap(() => sources.push())) : sources.push();
      pushing = push$.subscribe({
        next: (p) => {
          if (!delivered) {
            delivered = true;
            failures = 0;
            stopPoll();
          }
          emit(p, 'push');
        },
        error: (err: unknown) => dropped(err),
        complete: () => dropped(undefined),
      });
    };
    const start = (): void => (pushOff ? startPoll() : connect());

    const visibility = options.visible$?.subscribe((isVisible) => {
      if (isVisible === visible) return;
      visible = isVisible;
      if (isVisible) start();
      else stopAll();
    });
    if (visible) start();
    return () => {
      visibility?.unsubscribe();
      stopAll();
    };
  });
}
