import type { Observable, OperatorFunction } from 'rxjs';
import { loadLater, type HeldLimit } from './loadLater.js';

/** The journaled sink code, loaded on demand. */
export type JournalChunk = typeof import('./journalChunk.js');

/** The one load of the journal code, shared by every caller; undefined before it and after a failure. */
let loading: Promise<JournalChunk> | undefined;

/**
 * Loads the journal code (journalChunk.ts) once a journaled sink is first subscribed: a chunk of
 * its own, so pages whose sinks keep no journal never load it.
 *
 * @returns The loaded module.
 */
export function loadJournal(): Promise<JournalChunk> {
  // One promise for every caller: its callbacks run in the order they were added, so a sink
  // unsubscribed while loading journals what it held before a sink subscribed after it opens the
  // same journal. Two import() calls may settle in either order (under a loader such as tsx, about
  // once in 2,000 on a quiet machine), and then the second sink took the journal and the first
  // one's points were lost. A failed load is not kept: the next subscription tries again.
  return (loading ??= import('./journalChunk.js').catch((err: unknown) => {
    loading = undefined;
    throw err;
  }));
}

/**
 * `source` through the journaled sink `build` makes once the journal code is loaded (see
 * {@link loadLater}). Unsubscribing before the code is loaded still hands the held values to the
 * sink, which journals them as on any unsubscribe, and then releases its journal.
 *
 * @param source - What the sink takes.
 * @param build - Makes the sink from the loaded code (opens its journal); a throw errors the stream.
 * @returns The sink's output.
 */
export function journaledLater<T, R>(source: Observable<T>, build: (chunk: JournalChunk, droppedWhileHeld: number) => OperatorFunction<T, R>, limit: HeldLimit<T>): Observable<R> {
  return loadLater(source, loadJournal, build, true, limit);
}
