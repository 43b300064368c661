// The journals (entry `timetric/journal`): the IndexedDB and in-memory journals, the lock error and
// the journaled sink cores. `writeTo`/`writeFrom`/`incrementTo` with a `journal` load this code on
// their own when they first run; import it to build a journal yourself or to catch the lock error.
// Browser-safe, like `timetric`.
export type { Journal, JournalEntry, PendingRecord } from './Journal.js';
export { IndexedDbJournal } from './IndexedDbJournal.js';
export { MemoryJournal } from './MemoryJournal.js';
export { JournalLockedError } from './JournalLockedError.js';
export { journaledWriter, journaledPull, DEFAULT_JOURNAL_OPTIONS, type JournalOptions } from '../streams/journaledWriter.js';
export { journaledIncrements } from '../streams/journaledIncrements.js';
export type { JournalRecord, JournalPoints, JournalIncrement, JournalAck } from '../codec/journalRecord.js';
