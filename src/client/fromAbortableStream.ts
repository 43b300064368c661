import { Observable, type Subscriber } from 'rxjs';

/** What {@link fromAbortableStream} hands its body: where values go, the abort signal, and whether the subscriber left. */
export interface AbortableStream<T> {
  /** Takes the values; check {@link AbortableStream.closed} in loops that emit many. */
  readonly subscriber: Subscriber<T>;
  /** Aborted when the subscriber unsubscribes or the body fails. */
  readonly signal: AbortSignal;
  /** True once the subscriber unsubscribed. */
  readonly closed: boolean;
  /** Aborts the signal from within (a watchdog that gave up on a stalled body). */
  abort(): void;
}

/**
 * A cold Observable of many values from an async body (a paged or streamed read): each
 * subscription runs `run` with its own AbortSignal; the Observable completes when `run` resolves
 * and errors with its error, after aborting the signal, when it rejects. Unsubscribing aborts the
 * signal and sets `closed`; a failure after that is not reported (nobody is listening).
 *
 * @param run - The body; emits through `stream.subscriber`.
 * @returns The cold Observable.
 */
export function fromAbortableStream<T>(run: (stream: AbortableStream<T>) => Promise<void>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let closed = false;
    const stream: AbortableStream<T> = {
      subscriber,
      signal: controller.signal,
      get closed() {
        return closed;
      },
      abort: () => controller.abort(),
    };
    run(stream).then(
      () => subscriber.complete(),
      (err: unknown) => {
        controller.abort();
        if (!closed) subscriber.error(err);
      },
    );
    return () => {
      closed = true;
      controller.abort();
    };
  });
}
