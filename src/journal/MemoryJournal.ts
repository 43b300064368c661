import type { JournalIncrement, JournalPoints } from '../codec/journalRecord.js';
import type { Journal, JournalEntry, PendingRecord } from './Journal.js';

/**
 * A journal in memory: the bounded buffer of `writeFrom` without a `journal`, and a stand-in in
 * specs. Nothing survives the process; `bytes` counts 17 bytes a point, as a file journal would.
 */
export class MemoryJournal implements Journal {
  readonly name = 'memory';
  private readonly records = new Map<number, JournalPoints | JournalIncrement>();
  private nextSeq = 1;
  private total = 0;

  get bytes(): number {
    return this.total;
  }

  open(): Promise<PendingRecord[]> {
    return Promise.resolve([...this.records.values()].map(pendingOf));
  }

  openSync(): PendingRecord[] {
    return [...this.records.values()].map(pendingOf);
  }

  append(entry: JournalEntry): Promise<number> {
    return Promise.resolve(this.appendSync(entry));
  }

  appendSync(entry: JournalEntry): number {
    const seq = this.nextSeq++;
    const record = { ...entry, seq };
    this.records.set(seq, record);
    this.total += sizeOf(record);
    return seq;
  }

  read(seq: number): Promise<JournalPoints | JournalIncrement> {
    const r = this.records.get(seq);
    return r ? Promise.resolve(r) : Promise.reject(new RangeError(`no record ${seq} to send`));
  }

  ack(seq: number): Promise<void> {
    this.ackSync(seq);
    return Promise.resolve();
  }

  ackSync(seq: number): void {
    const r = this.records.get(seq);
    if (r) {
      this.records.delete(seq);
      this.total -= sizeOf(r);
    }
  }

  sync(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const sizeOf = (r: JournalPoints | JournalIncrement): number => (r.kind === 'points' ? 32 + r.points.length * 17 : 64);

const pendingOf = (r: JournalPoints | JournalIncrement): PendingRecord => (r.kind === 'points' ? { seq: r.seq, kind: r.kind, points: r.points.length } : { seq: r.seq, kind: r.kind });
