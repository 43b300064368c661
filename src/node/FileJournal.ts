import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { decodeJournalFrame, encodeJournalRecord, readJournalFrames, type JournalIncrement, type JournalPoints } from '../codec/journalRecord.js';
import { framePoints } from '../journal/framePoints.js';
import type { Journal, JournalEntry, PendingRecord } from '../journal/Journal.js';
import { JournalLockedError } from '../journal/JournalLockedError.js';

/** Options of {@link FileJournal}; defaults in {@link DEFAULT_FILE_JOURNAL_OPTIONS}. */
export interface FileJournalOptions {
  /** A segment file is closed (synced) and a new one started past this size, bytes. Default 8 MiB. */
  segmentBytes?: number;
}

/** Defaults of {@link FileJournalOptions}. */
export const DEFAULT_FILE_JOURNAL_OPTIONS = { segmentBytes: 8 * 1024 * 1024 } satisfies Required<FileJournalOptions>;

interface Segment {
  name: string;
  fd: number | undefined;
  size: number;
  /** Data records in it not yet done. */
  pending: number;
}

interface Location {
  segment: Segment;
  offset: number;
  bytes: number;
  kind: 'points' | 'increment';
}

const SEGMENT = /^seg-(\d{16})\.log$/;
const LOCK = 'lock';
/** Journals this process has open, by directory: a second open in the same process fails too. */
const openHere = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A journal in a directory, for Node: records are appended to segment files (`seg-<first seq>.log`,
 * each record framed with its length and CRC-32, see `encodeJournalRecord`); "done" marks are
 * appended the same way, and a segment is deleted once it and every older segment hold no record
 * still to send. Opening reads the segments, cuts a torn last record off, and lists what is left
 * to send. Writes are synchronous `write(2)` calls: once `append` resolved the record survives the
 * process being killed; {@link sync} (`fsync(2)`) makes it survive the machine losing power too.
 *
 * Ownership: a `lock` file holding the owner's pid and host. A second process (or a second
 * `FileJournal` in this one) opening the directory fails with {@link JournalLockedError}; a lock
 * left by a process that is gone (killed) is taken over. The lock cannot see a process on another
 * host sharing the directory over a network file system: give each host its own journal.
 *
 * @example
 * ```ts
 * import { writeTo } from 'timetric';
 * import { FileJournal } from 'timetric/node';
 * readings$.pipe(writeTo(series, { journal: new FileJournal('/var/lib/sensor/journal') })).subscribe();
 * ```
 */
export class FileJournal implements Journal {
  private readonly o: Required<FileJournalOptions>;
  private segments: Segment[] = [];
  private readonly where = new Map<number, Location>();
  private nextSeq = 1;
  private opened = false;
  private closed = false;
  private total = 0;

  /**
   * @param dir - The journal's directory; created when missing.
   * @param options - See {@link FileJournalOptions}.
   */
  constructor(
    readonly dir: string,
    options: FileJournalOptions = {},
  ) {
    this.o = { ...DEFAULT_FILE_JOURNAL_OPTIONS, ...options };
  }

  get name(): string {
    return this.dir;
  }

  get bytes(): number {
    return this.total;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- the interface is async (IndexedDB); files are written synchronously
  async open(): Promise<PendingRecord[]> {
    return this.openSync();
  }

  /** {@link open}, synchronously: a sink fed by a synchronous source journals it as it emits. */
  openSync(): PendingRecord[] {
    if (this.opened && !this.closed) throw new Error(`journal ${this.dir} is already open`);
    // Open again after close(): start from what is on disk.
    this.segments = [];
    this.where.clear();
    this.nextSeq = 1;
    this.total = 0;
    this.closed = false;
    mkdirSync(this.dir, { recursive: true });
    this.lock();
    this.opened = true;
    try {
      return this.recover();
    } catch (err) {
      this.unlock();
      throw err;
    }
  }

  private lock(): void {
    const path = join(this.dir, LOCK);
    if (openHere.has(path)) throw new JournalLockedError(this.dir, process.pid);
    for (let tries = 0; ; tries++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, `${process.pid} ${hostname()}\n`);
        fsyncSync(fd);
        closeSync(fd);
        openHere.add(path);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 3) throw err;
      }
      let owner: number | undefined;
      try {
        const [pid, host] = readFileSync(path, 'utf8').trim().split(' ');
        owner = Number(pid);
        if (host !== undefined && host !== hostname()) throw new JournalLockedError(this.dir, owner);
      } catch (err) {
        if (err instanceof JournalLockedError) throw err;
        // Unreadable or vanished: an owner crashed while writing it, or just closed. Try again.
      }
      if (owner !== undefined && Number.isInteger(owner) && owner > 0 && pidAlive(owner)) throw new JournalLockedError(this.dir, owner);
      // Stale: its owner is gone. Remove it and take it (two takers race on the 'wx' create).
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first.
      }
    }
  }

  private unlock(): void {
    const path = join(this.dir, LOCK);
    openHere.delete(path);
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  }

  private recover(): PendingRecord[] {
    const names = readdirSync(this.dir).filter((n) => SEGMENT.test(n)).sort();
    const done = new Set<number>();
    const data: { seq: number; loc: Location; points: number }[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const bytes = readFileSync(path);
      const { frames, validBytes } = readJournalFrames(bytes);
      const segment: Segment = { name, fd: undefined, size: validBytes, pending: 0 };
      if (validBytes < bytes.length) {
        // A record cut by a crash: cut it off, so later appends follow whole records.
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, validBytes);
        fsyncSync(fd);
        closeSync(fd);
      }
      for (const f of frames) {
        this.nextSeq = Math.max(this.nextSeq, f.seq + 1);
        if (f.kind === 'ack') done.add(f.seq);
        else data.push({ seq: f.seq, loc: { segment, offset: f.offset, bytes: f.bytes, kind: f.kind }, points: f.kind === 'points' ? framePoints(bytes, f.offset) : 0 });
      }
      this.segments.push(segment);
      this.total += validBytes;
    }
    const pending: PendingRecord[] = [];
    for (const { seq, loc, points } of data) {
      if (done.has(seq)) continue;
      loc.segment.pending++;
      this.where.set(seq, loc);
      pending.push(loc.kind === 'points' ? { seq, kind: loc.kind, points } : { seq, kind: loc.kind });
    }
    this.removeDone();
    this.startSegment();
    return pending;
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  private startSegment(): void {
    const last = this.segments.at(-1);
    if (last?.fd !== undefined) {
      fsyncSync(last.fd);
      closeSync(last.fd);
      last.fd = undefined;
    }
    const name = `seg-${String(this.nextSeq).padStart(16, '0')}.log`;
    const fd = openSync(join(this.dir, name), 'a+');
    this.segments.push({ name, fd, size: 0, pending: 0 });
    this.removeDone();
  }

  /** Deletes the oldest segments while they hold nothing to send (never the one being written). */
  private removeDone(): void {
    while (this.segments.length > 1 && this.segments[0]!.pending === 0 && this.segments[0]!.fd === undefined) {
      const s = this.segments.shift()!;
      unlinkSync(join(this.dir, s.name));
      this.total -= s.size;
    }
  }

  private write(frame: Uint8Array): number {
    if (!this.opened || this.closed) throw new Error(`journal ${this.dir} is not open`);
    if (this.active.size > 0 && this.active.size + frame.length > this.o.segmentBytes) this.startSegment();
    const segment = this.active;
    const offset = segment.size;
    let written = 0;
    while (written < frame.length) written += writeSync(segment.fd!, frame, written, frame.length - written);
    segment.size += frame.length;
    this.total += frame.length;
    return offset;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- see open()
  async append(entry: JournalEntry): Promise<number> {
    return this.appendSync(entry);
  }

  /** {@link append}, synchronously. */
  appendSync(entry: JournalEntry): number {
    const seq = this.nextSeq++;
    const frame = encodeJournalRecord({ ...entry, seq });
    const offset = this.write(frame);
    const segment = this.active;
    segment.pending++;
    this.where.set(seq, { segment, offset, bytes: frame.length, kind: entry.kind });
    return seq;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- see open()
  async read(seq: number): Promise<JournalPoints | JournalIncrement> {
    const loc = this.where.get(seq);
    if (!loc) throw new RangeError(`journal ${this.dir} holds no record ${seq} to send`);
    const buffer = new Uint8Array(loc.bytes);
    const fd = loc.segment.fd ?? openSync(join(this.dir, loc.segment.name), 'r');
    try {
      let got = 0;
      while (got < loc.bytes) {
        const n = readSync(fd, buffer, got, loc.bytes - got, loc.offset + got);
        if (n === 0) throw new RangeError(`journal ${this.dir}: record ${seq} is cut short`);
        got += n;
      }
    } finally {
      if (fd !== loc.segment.fd) closeSync(fd);
    }
    return decodeJournalFrame(buffer) as JournalPoints | JournalIncrement;
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- see open()
  async ack(seq: number): Promise<void> {
    this.ackSync(seq);
  }

  /** {@link ack}, synchronously. */
  ackSync(seq: number): void {
    const loc = this.where.get(seq);
    if (!loc) return;
    this.write(encodeJournalRecord({ kind: 'ack', seq }));
    this.where.delete(seq);
    loc.segment.pending--;
    this.removeDone();
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- see open()
  async sync(): Promise<void> {
    if (this.opened && !this.closed && this.active.fd !== undefined) fsyncSync(this.active.fd);
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- see open()
  async close(): Promise<void> {
    this.closeSync();
  }

  /** {@link close}, synchronously. */
  closeSync(): void {
    if (!this.opened || this.closed) return;
    this.closed = true;
    try {
      const fd = this.active.fd;
      if (fd !== undefined) {
        fsyncSync(fd);
        closeSync(fd);
        this.active.fd = undefined;
      }
      // An empty last segment says nothing: leave the directory as small as it can be.
      if (this.active.size === 0) {
        unlinkSync(join(this.dir, this.active.name));
        this.segments.pop();
      }
      this.removeDoneAll();
    } finally {
      this.unlock();
    }
  }

  private removeDoneAll(): void {
    while (this.segments.length > 0 && this.segments[0]!.pending === 0) {
      const s = this.segments.shift()!;
      unlinkSync(join(this.dir, s.name));
      this.total -= s.size;
    }
  }
}

