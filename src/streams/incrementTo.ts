import type { OperatorFunction } from 'rxjs';
import type { Journal } from '../journal/Journal.js';
import type { IncrementOptions, IncrementReceipt } from './IncrementOptions.js';
import type { JournalOptions } from './journaledWriter.js';
import { journaledLater } from './loadJournal.js';
import { loadLater, type HeldLimit } from './loadLater.js';
import { postIncrement, type WriteTarget } from './WriteTarget.js';
import { TimetricError } from '../errors/TimetricError.js';

/** Increments held at most before the sink's code has loaded; an increment is never dropped, so past it the stream errors. */
export const MAX_HELD_INCREMENTS = 100_000;

const HELD_INCREMENTS: HeldLimit<number> = {
  max: MAX_HELD_INCREMENTS,
  overflow: 'error',
  full: (held) =>
    new TimetricError(
      `${held.length} increments arrived before the increment sink's code loaded (at most ${MAX_HELD_INCREMENTS} are held); none was applied. Sum a synchronous burst before incrementTo (reduce, or one update), or start the source once the sink has loaded`,
    ),
};

/** Options of `incrementTo`: {@link IncrementOptions}, and a `journal`. */
export interface IncrementToOptions extends IncrementOptions, Pick<JournalOptions, 'fsync'> {
  /**
   * Where accepted windows wait until acknowledged, so that a crash loses none and none is applied
   * twice (each window keeps its `Idempotency-Key` across restarts): a {@link Journal}, or a name
   * (an IndexedDB database in browsers, a directory with `timetric/node`'s `incrementTo`). Use one
   * journal per sink; a `writeTo` sink needs its own. Default: none.
   */
  journal?: Journal | string;
  /** How a journal given by name is opened. Default: IndexedDB; `timetric/node` passes a file journal. */
  openJournal?: (name: string) => Journal;
  /** With a journal: told after each window is appended to it (from then on it is accepted). */
  onJournaled?: (window: { seq: number; key: string; amount: number; increments: number }) => void;
}

/**
 * A sink operator for counters: sums the increments of the source inside `windowMs` into one
 * `increment=` request to `series`, sent with an `Idempotency-Key` (one per window), and emits an
 * {@link IncrementReceipt} per acknowledged request. A request whose outcome is unknown (connection
 * lost after sending, timeout) is sent again under the same key, which a server that honours keys
 * applies once; with `idempotencyKeys: false` (for a server that ignores them) it is never sent
 * again and the stream errors with `OutcomeUnknownError` carrying the amount. With `journal`,
 * windows survive crashes and restarts (see `journaledIncrements`). Details: `incrementSink`.
 *
 * @example
 * ```ts
 * import { fromEvent, map } from 'rxjs';
 * import { TimetricClient, incrementTo } from 'timetric';
 * const series = new TimetricClient({ baseUrl: 'http://localhost:8080', key: 'K', secret: 'S' }).series(id);
 * fromEvent(button, 'click').pipe(map(() => 1), incrementTo(series, { windowMs: 2000 })).subscribe();
 * ```
 *
 * @param series Where to add the increments (see {@link WriteTarget}).
 * @param options See {@link IncrementToOptions}; timers run on the client's scheduler unless given.
 */
export function incrementTo(series: WriteTarget, options: IncrementToOptions = {}): OperatorFunction<number, IncrementReceipt> {
  const { journal, openJournal, onJournaled, ...rest } = options;
  const o = { scheduler: series.client.scheduler, gate: series.client.pauseGate, ...rest };
  // The sink's code is loaded on first subscription, so that a page that never increments does not load it.
  if (journal === undefined)
    return (source) => loadLater(source, () => import('./incrementSink.js'), (m) => m.incrementSink((amount, key) => postIncrement(series, amount, key), o), false, HELD_INCREMENTS);
  // The journal code is loaded, and the journal opened, per subscription (see writeTo).
  return (source) =>
    journaledLater(source, (m) => m.journaledIncrements((amount, key) => postIncrement(series, amount, key), m.openJournalOf(journal, openJournal), { ...o, ...(onJournaled && { onJournaled }) }), HELD_INCREMENTS);
}
