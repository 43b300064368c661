import { defer, of, switchMap, timer, type Observable, type SchedulerLike } from 'rxjs';
import { isHttpError } from '../errors/typeGuards.js';

/**
 * A pause shared by every writer and poller of one client. When the server answers 429 or 503, the
 * stream that saw it closes the gate for the wait it computed (at least the `Retry-After`), and every
 * other stream of the client waits for the gate before its next request, instead of each finding the
 * overload on its own (a retry storm). The gate only moves later: a shorter pause never shortens a
 * longer one. Times come from the streams' scheduler, so it works in virtual time too. Each
 * `TimetricClient` owns one (`client.pauseGate`).
 *
 * @example
 * ```ts
 * import { asyncScheduler } from 'rxjs';
 * const gate = client.pauseGate; // every TimetricClient has one
 * gate.pauseFor(2000, asyncScheduler.now());
 * gate.whenOpen(asyncScheduler).subscribe(() => console.log('may send again')); // after ~2 s
 * ```
 */
export class PauseGate {
  private until = -Infinity;

  /** Scheduler time (ms) before which no request should start; `-Infinity` when open. */
  get resumeAt(): number {
    return this.until;
  }

  /** Closes the gate for `delayMs` from `nowMs` (never shortens a pause already in force). */
  pauseFor(delayMs: number, nowMs: number): void {
    this.until = Math.max(this.until, nowMs + Math.max(0, delayMs));
  }

  /** Closes the gate for `delayMs` when `err` is a 429 or 503 answer; returns whether it did. */
  pauseOn(err: unknown, delayMs: number, nowMs: number): boolean {
    if (!isHttpError(err) || (err.status !== 429 && err.status !== 503)) return false;
    this.pauseFor(delayMs, nowMs);
    return true;
  }

  /** Emits once and completes when the gate is open: at once, or after the pause (re-checked, in case it grew). */
  whenOpen(scheduler: SchedulerLike): Observable<void> {
    const check: Observable<void> = defer(() => {
      const wait = this.until - scheduler.now();
      return wait <= 0 ? of(undefined) : timer(wait, scheduler).pipe(switchMap(() => check));
    });
    return check;
  }
}
