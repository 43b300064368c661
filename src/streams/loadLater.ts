// Sinks whose code loads on first subscription hold what arrives until it is there.
import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';

/**
 * `source` through the sink `build` makes once its code, loaded by `load` (a dynamic import: a
 * chunk of its own), is there. The source is subscribed at once and what it emits meanwhile is
 * held in order (a hot source loses nothing), then handed to the sink first; errors and
 * completion wait behind it. Unsubscribed before the code is loaded: with `afterUnsubscribe`
 * (a journaled sink) the held values still go to the sink, which journals them as on any
 * unsubscribe; without it they are dropped, as a sink drops its open window on unsubscribe.
 *
 * @param source - What the sink takes.
 * @param load - Loads the sink's code.
 * @param build - Makes the sink from the loaded code; a throw errors the stream.
 * @param afterUnsubscribe - Whether values held when unsubscribed early still go to the sink.
 * @returns The sink's output.
 */
export function loadLater<M, T, R>(source: Observable<T>, load: () => Promise<M>, build: (chunk: M) => OperatorFunction<T, R>, afterUnsubscribe: boolean): Observable<R> {
  return new Observable<R>((subscriber) => {
    let held: T[] | undefined = [];
    let end: { error: unknown } | 'complete' | undefined;
    let closed = false;
    const input = new Subject<T>();
    let sink: Subscription | undefined;
    const upstream = source.subscribe({
      next: (v) => (held ? held.push(v) : input.next(v)),
      error: (error: unknown) => (held ? (end = { error }) : input.error(error)),
      complete: () => (held ? (end = 'complete') : input.complete()),
    });
    load().then(
      (chunk) => {
        const early = held!;
        held = undefined;
        // Unsubscribed meanwhile with nothing held: nothing to journal, no journal to open.
        if (closed && (early.length === 0 || !afterUnsubscribe)) return;
        let sinkOp: OperatorFunction<T, R>;
        try {
          sinkOp = build(chunk);
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
      upstream.unsubscribe();
      sink?.unsubscribe();
    };
  });
}
