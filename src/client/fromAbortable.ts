import { Observable } from 'rxjs';

/**
 * A cold Observable of one async call: each subscription runs `run` with its own AbortSignal,
 * emits the result and completes; unsubscribing first aborts the call. An abort caused by the
 * unsubscribe is not reported (nobody is listening).
 */
export function fromAbortable<T>(run: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    run(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (err: unknown) => {
        if (!controller.signal.aborted) subscriber.error(err);
      },
    );
    return () => controller.abort();
  });
}
