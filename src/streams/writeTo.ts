import { defer, map, pipe, type OperatorFunction } from 'rxjs';
import { parseTime } from '../codec/parseTime.js';
import { checkValue } from '../codec/parseValue.js';
import type { Point, PointValue, TimeInput } from '../codec/Point.js';
import type { Journal } from '../journal/Journal.js';
import { WriteFailedError } from '../errors/WriteFailedError.js';
import { DEFAULT_WRITE_OPTIONS, batchWriter, type WriteOptions, type WriteReceipt } from './batchWriter.js';
import type { JournalOptions } from './journaledWriter.js';
import { journaledLater, type JournalChunk } from './loadJournal.js';
import type { HeldLimit } from './loadLater.js';
import { postPoints, type WriteTarget } from './WriteTarget.js';

/** A point as a sink takes it: time as a Date, unix seconds or ISO text (UTC); value number/boolean/null. */
export type SinkPoint = readonly [time: TimeInput, value: PointValue];

/** Options of `writeTo` and `writeFrom`: {@link WriteOptions}, and with `journal` also {@link JournalOptions}. */
export interface WriteToOptions extends WriteOptions, JournalOptions {
  /**
   * Where accepted points wait until the server acknowledged them, so that neither a crash nor an
   * outage longer than the memory buffer loses one: a {@link Journal} (`FileJournal` from
   * `timetric/node`, `IndexedDbJournal`), or a name — an IndexedDB database in browsers, a
   * directory with `timetric/node`'s `writeTo`/`writeFrom`. Default: none (memory only).
   */
  journal?: Journal | string;
  /** How a journal given by name is opened. Default: IndexedDB (browsers); `timetric/node` passes a file journal. */
  openJournal?: (name: string) => Journal;
}

/** The options a sink core takes: the client's scheduler and gate unless given, without the journal fields. */
export function sinkOptions(target: WriteTarget, options: WriteToOptions): WriteOptions & JournalOptions {
  const { journal: _journal, openJournal: _open, ...rest } = options;
  return { scheduler: target.client.scheduler, gate: target.client.pauseGate, ...rest };
}

/**
 * A sink operator: writes the `[time, value]` pairs of the source into `series` in batches and
 * emits one {@link WriteReceipt} per batch the server acknowledged (with `replaced`: how many of
 * its points replaced a stored point at the same time). Completes only after the last batch is
 * acknowledged, so `await lastValueFrom(source$.pipe(writeTo(series)))` means "written". Times
 * are Dates, unix seconds or ISO text (UTC); a bad pair errors the stream with a `ParseError`.
 * Batching, retries, overflow and unsubscribe behaviour: see {@link WriteOptions} (timers on the
 * client's scheduler unless `scheduler` is given). A point at an existing time replaces it, so
 * retried batches never duplicate data.
 *
 * With `journal`, each batch is appended to the journal before it is sent, and a sink opened later
 * on the same journal first resends what was not acknowledged (see `journaledWriter`): nothing
 * accepted is lost to a crash, a restart or an outage of any length the journal can hold. The
 * journal code is loaded, and the journal opened, when the sink is first subscribed; points that
 * arrive meanwhile are held in memory and journaled first once it is open.
 * For a large or unbounded source, prefer {@link writeFrom}, which pulls only while there is room.
 *
 * @example
 * ```ts
 * import { interval, map, take, lastValueFrom } from 'rxjs';
 * import { writeTo } from 'timetric';
 * const readings$ = interval(100).pipe(take(50), map((i) => [new Date(), Math.sin(i)] as const));
 * await lastValueFrom(readings$.pipe(writeTo(client.series(id), { windowMs: 1000 })));
 * ```
 *
 * @param series - The series to write to (anything with its `path` and `client`, see {@link WriteTarget}).
 * @param options - See {@link WriteToOptions}.
 */
export function writeTo(series: WriteTarget, options: WriteToOptions = {}): OperatorFunction<SinkPoint, WriteReceipt> {
  return writeToWith(series, options, undefined);
}

/**
 * {@link writeTo}, with the journal code given when the caller has it already (`timetric/node`
 * imports it statically): the sink is then built at subscribe and nothing is held, so a
 * synchronous source goes to a file journal as it emits, whatever its size.
 */
export function writeToWith(series: WriteTarget, options: WriteToOptions, loaded: JournalChunk | undefined): OperatorFunction<SinkPoint, WriteReceipt> {
  const toPoint = map((input: SinkPoint): Point => [parseTime(input[0]), checkValue(input[1])]);
  const write = (points: readonly Point[]) => postPoints(series, points);
  const o = sinkOptions(series, options);
  if (options.journal === undefined) return pipe(toPoint, batchWriter(write, o));
  const { journal, openJournal } = options;
  // The journal code is loaded, and the journal opened, per subscription: each subscription owns
  // the journal while it runs.
  // What arrives before the journal code is there is held within the sink's own memory budget.
  const max = o.maxBufferPoints ?? DEFAULT_WRITE_OPTIONS.maxBufferPoints;
  const limit: HeldLimit<Point> = {
    max,
    overflow: o.overflow ?? DEFAULT_WRITE_OPTIONS.overflow,
    full: (held) =>
      new WriteFailedError(
        `buffer full (${max} points arrived before the journal code loaded): a synchronous source emits everything at once; use writeFrom(series, source) to pull, update() for a one-off upload, raise maxBufferPoints, or choose overflow 'drop-oldest' or 'drop-newest'`,
        held,
        0,
      ),
  };
  if (loaded) return (source) => defer(() => source.pipe(toPoint, loaded.journaledWriter(write, loaded.openJournalOf(journal, openJournal), o)));
  return (source) => journaledLater(source.pipe(toPoint), (m, dropped) => m.journaledWriter(write, m.openJournalOf(journal, openJournal), o, dropped), limit);
}
