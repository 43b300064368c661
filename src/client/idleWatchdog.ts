import type { SchedulerLike, Subscription } from 'rxjs';

/** What {@link idleWatchdog} returns. */
export interface IdleWatchdog {
  /** Something arrived: the idle time starts again. */
  touch(): void;
  /** Ends the watch (call it when the read ends either way). */
  stop(): void;
  /** True once `onIdle` was called. */
  readonly fired: boolean;
}

/**
 * Calls `onIdle` once when `touch()` has not been called for `ms` (on `scheduler`, so it runs in
 * virtual time too). For reads that could otherwise wait forever on a connection that went quiet
 * without closing: a response body, an event stream between heartbeats. `touch()` only records the
 * time; one timer is rescheduled when it fires early, so a busy read costs no timer churn.
 */
export function idleWatchdog(ms: number, scheduler: SchedulerLike, onIdle: () => void): IdleWatchdog {
  let last = scheduler.now();
  let fired = false;
  let timer: Subscription | undefined;
  const arm = (delay: number): void => {
    timer = scheduler.schedule(() => {
      const quiet = scheduler.now() - last;
      if (quiet < ms) return arm(ms - quiet);
      fired = true;
      timer = undefined;
      onIdle();
    }, delay);
  };
  arm(ms);
  return {
    touch: () => void (last = scheduler.now()),
    stop: () => {
      timer?.unsubscribe();
      timer = undefined;
    },
    get fired() {
      return fired;
    },
  };
}
