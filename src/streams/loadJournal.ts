import { Observable, Subject, type OperatorFunction, type Subscription } from 'rxjs';

/** The journaled sink code, loaded on demand. */
export type JournalChunk = typeof import('./journalChunk.js');

/**
 * Loads the journal code (journalChunk.ts) once a journaled sink is first subscribed: a chunk of
 * its own, so pages whose sinks keep no journal never load it.
 *
 * @returns The loaded module.
 */
export function loadJournal(): Promise<JournalChunk> {
  return import('./journalChunk.js');
}

/**
 * `source` through the journaled sink `build` makes once the journal code is loaded. The source
 * is subscribed at once and what it emits meanwhile is held in order (a hot source loses
 * nothing), then handed to the sink first; errors and completion wait behind it. Unsubscribing
 * before the code is loaded still hands the held values to the sink, which journals them as on
 * any unsubscribe, and then releases its journal.
 *
 * @param source - What the sink takes.
 * @param build - Makes the sink from the loaded code (opens its journal); a throw errors the stream.
 * @returns The sink's output.
 */
export function journaledLater<T, R>(source: Observable<T>, build: (chunk: JournalChunk) => OperatorFunction<T, R>): Observable<R> {
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
    loadJournal().then(
      (chunk) => {
        const early = held!;
        held = undefined;
        // Unsubscribed meanwhile with nothing held: nothing to journal, no journal to open.
        if (closed && early.length === 0) return;
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
