import { decodeJournalFrame, encodeJournalRecord, type JournalIncrement, type JournalPoints } from '../codec/journalRecord.js';
import { framePoints } from './framePoints.js';
import type { Journal, JournalEntry, PendingRecord } from './Journal.js';
import { JournalLockedError } from './JournalLockedError.js';

const STORE = 'records';

interface Row {
  seq: number;
  kind: 'points' | 'increment';
  /** The record as the journal codec frames it (length, CRC-32, payload). */
  frame: Uint8Array;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}

interface LockManagerLike {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void>): Promise<void>;
}

/**
 * A journal in an IndexedDB database, for browsers: one row a record (keyed by its sequence number,
 * the bytes framed by the journal codec with a CRC-32 checked on every read), deleted once done.
 * Each append and each "done" is its own transaction, so a crash or a page reload keeps every
 * record whose append resolved. Ownership uses the Web Locks API (`navigator.locks`) where there is
 * one: a second tab opening the same journal fails with {@link JournalLockedError}, and a closed or
 * reloaded page releases it.
 *
 * @example
 * ```ts
 * import { writeTo } from 'timetric';
 * readings$.pipe(writeTo(series, { journal: 'sensor-journal' })).subscribe(); // an IndexedDB name
 * ```
 */
export class IndexedDbJournal implements Journal {
  private db: IDBDatabase | undefined;
  private total = 0;
  private readonly sizes = new Map<number, number>();
  private nextSeq = 1;
  private release: (() => void) | undefined;

  /** @param name - The IndexedDB database name. */
  constructor(readonly name: string) {}

  get bytes(): number {
    return this.total;
  }

  async open(): Promise<PendingRecord[]> {
    if (this.db) throw new Error(`journal ${this.name} is already open`);
    await this.lock();
    try {
      const request = indexedDB.open(this.name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'seq' });
      this.db = await done(request);
      const tx = this.db.transaction(STORE, 'readonly');
      const rows = await done(tx.objectStore(STORE).getAll() as IDBRequest<Row[]>);
      const pending: PendingRecord[] = [];
      for (const row of rows) {
        this.nextSeq = Math.max(this.nextSeq, row.seq + 1);
        this.sizes.set(row.seq, row.frame.length);
        this.total += row.frame.length;
        pending.push(row.kind === 'points' ? { seq: row.seq, kind: row.kind, points: framePoints(row.frame, 0) } : { seq: row.seq, kind: row.kind });
      }
      return pending;
    } catch (err) {
      this.release?.();
      this.release = undefined;
      throw err;
    }
  }

  private async lock(): Promise<void> {
    const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
    if (!locks) return;
    await new Promise<void>((resolve, reject) => {
      locks
        .request(`timetric-journal:${this.name}`, { ifAvailable: true }, (lock) => {
          if (!lock) {
            reject(new JournalLockedError(this.name, undefined));
            return Promise.resolve();
          }
          resolve();
          return new Promise<void>((r) => (this.release = r));
        })
        .catch(reject);
    });
  }

  private get open_(): IDBDatabase {
    if (!this.db) throw new Error(`journal ${this.name} is not open`);
    return this.db;
  }

  async append(entry: JournalEntry): Promise<number> {
    const seq = this.nextSeq++;
    const frame = encodeJournalRecord({ ...entry, seq });
    const tx = this.open_.transaction(STORE, 'readwrite', { durability: 'strict' });
    tx.objectStore(STORE).put({ seq, kind: entry.kind, frame } satisfies Row);
    await committed(tx);
    this.sizes.set(seq, frame.length);
    this.total += frame.length;
    return seq;
  }

  async read(seq: number): Promise<JournalPoints | JournalIncrement> {
    const tx = this.open_.transaction(STORE, 'readonly');
    const row = await done(tx.objectStore(STORE).get(seq) as IDBRequest<Row | undefined>);
    if (!row) throw new RangeError(`journal ${this.name} holds no record ${seq} to send`);
    return decodeJournalFrame(row.frame) as JournalPoints | JournalIncrement;
  }

  async ack(seq: number): Promise<void> {
    const tx = this.open_.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(seq);
    await committed(tx);
    this.total -= this.sizes.get(seq) ?? 0;
    this.sizes.delete(seq);
  }

  /** Every append commits with strict durability already. */
  sync(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
    this.release?.();
    this.release = undefined;
    return Promise.resolve();
  }
}
