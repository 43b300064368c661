// Sinks whose code loads on first subscription hold what arrives until it is there.
import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';

/** How much {@link loadLater} may hold before the sink's code is there, and what happens past it: the sink's own limit and policy. */
export interface HeldLimit<T> {
  /** Values held at most (a sink passes its `maxBufferPoints`). */
  max: number;
  /** `'error'` ends the stream with `full(held)`; `'drop-newest'` / `'drop-oldest'` drop and count, and the count goes to `build`. */
  overflow: 'error' | 'drop-newest' | 'drop-oldest';
  /** The error for a full hold under `'error'`; gets what is held, the newest last. */
  full: (held: readonly T[]) => unknown;
}

/**
 * `source` through the sink `build` makes once its code, loaded by `load` (a dynamic import: a
 * chunk of its own), is there. The source is subscribed at once and what it emits meanwhile is
 * held in order (a hot source loses nothing), at most `limit.max` values, then handed to the sink
 * first; errors and completion wait behind it. Past `limit.max` the sink's overflow policy applies:
 * `'error'` ends the stream at once with `limit.full(held)` (nothing is handed to the sink),
 * `'drop-newest'` and `'drop-oldest'` drop values, and `build` gets how many so that the sink
 * reports them with its own drops. Unsubscribed before the code is loaded: with
 * `afterUnsubscribe` (a journaled sink) the held values still go to the sink, which journals them
 * as on any unsubscribe; without it they are dropped, as a sink drops its open window on
 * unsubscribe.
 *
 * @param source - What the sink takes.
 * @param load - Loads the sink's code.
 * @param build - Makes the sink from the loaded code and the count of values dropped while held; a throw errors the stream.
 * @param afterUnsubscribe - Whether values held when unsubscribed early still go to the sink.
 * @param limit - See {@link HeldLimit}.
 * @returns The sink's output.
 */
export function loadLater<M, T, R>(
  source: Observable<T>,
  load: () => Promise<M>,
  build: (chunk: M, droppedWhileHeld: number) => OperatorFunction<T, R>,
  afterUnsubscribe: boolean,
  limit: HeldLimit<T>,
): Observable<R> {
  return new Observable<R>((subscriber) => {
    let held: T[] | undefined = [];
    let first = 0; // held[first..] are held; drop-oldest moves it instead of shifting
    let dropped = 0;
    let end: { error: unknown } | 'complete' | undefined;
    let closed = false;
    const input = new Subject<T>();
    let sink: Subscription | undefined;
    const hold = (v: T): void => {
      const h = held!;
      if (h.length - first < limit.max) {
        h.push(v);
        return;
      }
      if (limit.overflow === 'error') {
        h.push(v);
        const all = h.slice(first);
        held = [];
        first = 0;
        closed = true;
        upstream?.unsubscribe();
        subscriber.error(limit.full(all));
        return;
      }
      dropped++;
      if (limit.overflow === 'drop-newest') return;
      h.push(v);
      first++;
      // Compact now and then, so the array does not grow with the dropped.
      if (first >= limit.max) {
        held = h.slice(first);
        first = 0;
      }
    };
    // eslint-disable-next-line prefer-const -- read by hold() during a synchronous subscribe, before it is assigned
    let upstream: Subscription | undefined;
    upstream = source.subscribe({
      next: (v) => (closed ? undefined : held ? hold(v) : input.next(v)),
      error: (error: unknown) => (held ? (end = { error }) : input.error(error)),
      complete: () => (held ? (end = 'complete') : input.complete()),
    });
    // A synchronous source that overflowed under 'error' ended the stream before `upstream` was set.
    if (closed) upstream.unsubscribe();
    load().then(
      (chunk) => {
        const early = held!.slice(first);
        held = undefined;
        // Unsubscribed meanwhile with nothing held: nothing to journal, no journal to open.
        if (closed && (early.length === 0 || !afterUnsubscribe)) return;
        let sinkOp: OperatorFunction<T, R>;
        try {
          sinkOp = build(chunk, dropped);
        } catch (err) {
          subscriber.error(err);
          return;
        }
        // After an unsubscribe nobody listens: the sink runs only to journal what was held.
        sink = input.pipe(sinkOp).subscribe(closed ? { error: () => undefined } : subscriber);
        for (const v of early) input.next(v);
        if (end === 'complete') input.complete();
        else if (end) input.error(end.error);
        // Unsubscribed meanwhile: the sink journals what it holds, as on any unsubscribe.
        if (closed) sink.unsubscribe();
      },
      (err: unknown) => subscriber.error(err),
    );
    return () => {
      closed = true;
      upstream?.unsubscribe();
      sink?.unsubscribe();
    };
  });
}
