// Node-only additions to the client (entry `timetric/node`): the file journal, and the write sinks
// with a journal named by a directory. Never imported by the browser-safe entry.
import type { Observable, OperatorFunction } from 'rxjs';
import type { WriteReceipt } from '../streams/batchWriter.js';
import type { IncrementReceipt } from '../streams/IncrementOptions.js';
import { incrementTo as incrementToAny, type IncrementToOptions } from '../streams/incrementTo.js';
import { writeFrom as writeFromAny, type PullSource } from '../streams/writeFrom.js';
import * as journalChunk from '../streams/journalChunk.js';
import { writeToWith, type SinkPoint, type WriteToOptions } from '../streams/writeTo.js';
import type { WriteTarget } from '../streams/WriteTarget.js';
import { FileJournal } from './FileJournal.js';

export { FileJournal, DEFAULT_FILE_JOURNAL_OPTIONS, type FileJournalOptions } from './FileJournal.js';

const files = { openJournal: (dir: string) => new FileJournal(dir) };

/**
 * `writeTo` where `journal: 'path'` names a directory (a {@link FileJournal}). Otherwise the same.
 *
 * @example
 * ```ts
 * import { writeTo } from 'timetric/node';
 * readings$.pipe(writeTo(series, { journal: '/var/lib/sensor/journal' })).subscribe();
 * ```
 */
export function writeTo(series: WriteTarget, options: WriteToOptions = {}): OperatorFunction<SinkPoint, WriteReceipt> {
  // The journal code is here already (Node has no bundle to keep small): a synchronous source goes
  // to a file journal as it emits, with nothing held in memory while code loads.
  return writeToWith(series, { ...files, ...options }, journalChunk);
}

/** `writeFrom` where `journal: 'path'` names a directory (a {@link FileJournal}). Otherwise the same. */
export function writeFrom(series: WriteTarget, source: PullSource, options: WriteToOptions = {}): Observable<WriteReceipt> {
  return writeFromAny(series, source, { ...files, ...options });
}

/** `incrementTo` where `journal: 'path'` names a directory (a {@link FileJournal}). Otherwise the same. */
export function incrementTo(series: WriteTarget, options: IncrementToOptions = {}): OperatorFunction<number, IncrementReceipt> {
  return incrementToAny(series, { ...files, ...options });
}
