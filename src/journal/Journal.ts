import type { JournalIncrement, JournalPoints } from '../codec/journalRecord.js';

/** A record a sink appends: the journal numbers it. */
export type JournalEntry = Omit<JournalPoints, 'seq'> | Omit<JournalIncrement, 'seq'>;

/** A record still to be sent, as {@link Journal.open} lists it (its points are read on demand). */
export interface PendingRecord {
  seq: number;
  kind: 'points' | 'increment';
  /** How many points a points record holds (so that a record dropped unread is counted). */
  points?: number;
}

/**
 * What a durable sink (`writeTo`, `incrementTo` with a `journal`) needs of a journal: an ordered,
 * crash-safe log of records, each removed once the sink says it is done. Two implementations: a
 * directory of segment files in Node (`FileJournal`, from `timetric/node`) and an IndexedDB
 * database in browsers ({@link IndexedDbJournal}). Both encode records with the same codec (length
 * and CRC-32 per record), so a log cut mid-record by a crash is read up to its last whole record.
 *
 * A journal has one owner at a time: opening one that another live process (or another open
 * journal object) holds fails with {@link JournalLockedError}.
 */
export interface Journal {
  /** A name for messages: the directory, or the IndexedDB database. */
  readonly name: string;
  /** Takes ownership and lists the records not yet done, oldest first (what a crash left to resend). */
  open(): Promise<PendingRecord[]>;
  /** Appends a record and resolves with its sequence number once it is written (not yet synced, see {@link sync}). */
  append(entry: JournalEntry): Promise<number>;
  /** Reads a record not yet done back. */
  read(seq: number): Promise<JournalPoints | JournalIncrement>;
  /** Marks a record done (acknowledged, or dropped by the overflow policy); its space is freed once every older record is done too. */
  ack(seq: number): Promise<void>;
  /** Makes everything written so far durable (fsync). */
  sync(): Promise<void>;
  /** Bytes the journal takes now. */
  readonly bytes: number;
  /** Syncs, and releases ownership. A second call does nothing. */
  close(): Promise<void>;
}
