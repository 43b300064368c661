import { Observable, asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';

/** What the dashboard says about its connection to the server. */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'disconnected';

/**
 * The outcome of one exchange with the server: `'ok'` (an answer below 500), `'failed'` (a
 * network error, or a 5xx/429 answer), `'dropped'` (a push stream the server ended).
 */
export type RequestOutcome = 'ok' | 'failed' | 'dropped';

/** Options of {@link connectionState}. */
export interface ConnectionStateOptions {
  /** How long failures go on without an answer before the state turns from `reconnecting` to `disconnected`, ms. Default 2,000. */
  disconnectAfterMs?: number;
  /** Where the timer runs. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/** Defaults of {@link ConnectionStateOptions}. */
export const DEFAULT_CONNECTION_STATE_OPTIONS = { disconnectAfterMs: 2_000 } satisfies ConnectionStateOptions;

/**
 * The connection state from the outcomes of the page's requests: `connecting` until the first
 * answer, `live` on any answer, `reconnecting` at once on a failure or a dropped push stream,
 * `disconnected` once failures have gone on for `disconnectAfterMs` without an answer, and `live`
 * again on the next answer. Emits each change (the first state at once); completes with
 * `outcomes$`.
 *
 * @example
 * ```ts
 * connectionState(outcomes$).subscribe((state) => (badge.textContent = state));
 * ```
 */
export function connectionState(outcomes$: Observable<RequestOutcome>, options: ConnectionStateOptions = {}): Observable<ConnectionState> {
  const { disconnectAfterMs, scheduler } = { ...DEFAULT_CONNECTION_STATE_OPTIONS, scheduler: asyncScheduler, ...options };
  return new Observable<ConnectionState>((subscriber) => {
    let state: ConnectionState | undefined;
    let timer: Subscription | undefined;
    const set = (next: ConnectionState): void => {
      if (next === state) return;
      state = next;
      subscriber.next(next);
    };
    set('connecting');
    const sub = outcomes$.subscribe({
      next: (outcome) => {
        if (outcome === 'ok') {
          timer?.unsubscribe();
          timer = undefined;
          set('live');
          return;
        }
        if (state === 'disconnected') return;
        set('reconnecting');
        timer ??= scheduler.schedule(() => {
          timer = undefined;
          set('disconnected');
        }, disconnectAfterMs);
      },
      error: (err: unknown) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    return () => {
      sub.unsubscribe();
      timer?.unsubscribe();
    };
  });
}
