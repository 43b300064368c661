import { Observable, asyncScheduler, type OperatorFunction, type Subscriber, type Subscription } from 'rxjs';
import type { Point } from '../codec/Point.js';
import type { JournalPoints } from '../codec/journalRecord.js';
import { WriteFailedError } from '../errors/WriteFailedError.js';
import type { Journal, PendingRecord } from '../journal/Journal.js';
import { MemoryJournal } from '../journal/MemoryJournal.js';
import { DEFAULT_WRITE_OPTIONS, type WriteOptions, type WriteReceipt } from './batchWriter.js';
import { sendBatch } from './sendBatch.js';

/** Options of a journaled sink beyond {@link WriteOptions}; defaults in {@link DEFAULT_JOURNAL_OPTIONS}. */
export interface JournalOptions {
  /**
   * Bytes the journal may hold (points not yet acknowledged). A push source that fills it meets the
   * `overflow` policy; a pulled source (`writeFrom`) simply waits for room. Default 1 GiB.
   */
  maxJournalBytes?: number;
  /**
   * When the journal is synced to stable storage (`fsync`): `'window'` at most once per `windowMs`
   * (default: a machine crash loses at most the last window), `'batch'` after every batch (each
   * batch durable before it is sent; slowest), `'never'` (only at close: survives the process being
   * killed, not a power cut).
   */
  fsync?: 'window' | 'batch' | 'never';
  /** Told after each batch is appended to the journal: from then on its points are accepted (survive a crash). */
  onJournaled?: (batch: { seq: number; points: number; firstTime: number; lastTime: number }) => void;
}

/** Defaults of {@link JournalOptions}. With a journal, retries never give up on a retryable failure. */
export const DEFAULT_JOURNAL_OPTIONS = {
  maxJournalBytes: 1024 * 1024 * 1024,
  fsync: 'window' as 'window' | 'batch' | 'never',
  maxRetries: Infinity,
  deadlineMs: Infinity,
};

/** A journal that may also append synchronously (a file journal): a synchronous source then goes to disk as it emits. */
interface SyncAppend {
  openSync?(): PendingRecord[];
  closeSync?(): void;
  ackSync?(seq: number): void;
  appendSync?(entry: Omit<JournalPoints, 'seq'>): number;
}

interface Queued {
  seq: number;
  count: number;
  /** Kept in memory while it fits; otherwise read back from the journal when its turn comes. */
  points: readonly Point[] | undefined;
}

const FRAME_BYTES_PER_POINT = 17;
/** What a record costs beyond its points, at most (header, CRC). */
const RECORD_BYTES = 64;

/** The controls {@link startJournaled} hands its drivers (the push operator and the pull loop). */
interface JournaledCore {
  push(point: Point): void;
  /** Whether a pulling driver may take more now. */
  hasRoom(): boolean;
  /** Called once when room frees up after {@link hasRoom} said no. */
  onRoom(callback: () => void): void;
  end(error?: { error: unknown }): void;
  /** Whether no batch is open: a puller checks for room there, since {@link hasRoom} leaves room for one whole batch. */
  readonly batchEmpty: boolean;
  /** Unsubscribe: journals the open batch, stops sending, closes the journal. */
  teardown(): void;
  readonly stopped: boolean;
}

function startJournaled(
  subscriber: Subscriber<WriteReceipt>,
  writeBatch: (points: readonly Point[]) => Observable<unknown>,
  journal: Journal & SyncAppend,
  options: WriteOptions & JournalOptions,
  pulled: boolean,
  droppedBefore = 0,
): JournaledCore {
  const o = { ...DEFAULT_WRITE_OPTIONS, ...DEFAULT_JOURNAL_OPTIONS, ...options };
  const scheduler = options.scheduler ?? asyncScheduler;
  const retryPolicy = { maxRetries: o.maxRetries, deadlineMs: o.deadlineMs, retryBaseMs: o.retryBaseMs, maxBackoffMs: o.maxBackoffMs, random: options.random ?? Math.random, scheduler, gate: options.gate };
  let batch: Point[] = [];
  let windowTimer: Subscription | undefined;
  let syncTimer: Subscription | undefined;
  let unsynced = false;
  let appending = 0; // points handed to an async append not yet resolved
  let chain: Promise<void> = Promise.resolve();
  let opened = false;
  const queue: Queued[] = [];
  let retained = 0;
  let inflight: Queued | undefined;
  let request: Subscription | undefined;
  let dropped = droppedBefore;
  let sourceDone = false;
  let sourceError: { error: unknown } | undefined;
  let stopped = false;
  let roomWaiter: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  /** Marks a record done: at once where the journal can, else after what is queued. */
  const done = (seq: number): void => {
    if (journal.ackSync) {
      try {
        journal.ackSync(seq);
      } catch (err) {
        fail('the journal could not be written', err);
      }
    } else chain = chain.then(() => journal.ack(seq)).catch((err: unknown) => fail('the journal could not be written', err));
  };
  const closeJournal = (): Promise<void> => (closing ??= chain.then(() => journal.close()).catch(() => journal.close()));
  const fail = (message: string, cause?: unknown): void => {
    if (stopped) return;
    stopped = true;
    windowTimer?.unsubscribe();
    syncTimer?.unsubscribe();
    request?.unsubscribe();
    const unsent = [...(inflight?.points ?? []), ...batch];
    const kept = journal instanceof MemoryJournal ? '' : ` (journal ${journal.name} keeps every accepted point)`;
    void closeJournal().finally(() => subscriber.error(new WriteFailedError(`${message}${kept}`, unsent, dropped, cause)));
  };
  const memory = (): number => batch.length + appending + retained;
  const hasRoom = (): boolean => memory() < o.maxBufferPoints && journal.bytes + (batch.length + o.maxBatchPoints) * FRAME_BYTES_PER_POINT + RECORD_BYTES <= o.maxJournalBytes;
  const roomFreed = (): void => {
    if (roomWaiter && hasRoom()) {
      const w = roomWaiter;
      roomWaiter = undefined;
      w();
    }
  };
  const finishIfDone = (): void => {
    if (stopped || !sourceDone || !opened || batch.length || appending || inflight || queue.length) return;
    stopped = true;
    syncTimer?.unsubscribe();
    void closeJournal().then(
      () => (sourceError ? subscriber.error(sourceError.error) : subscriber.complete()),
      (err: unknown) => subscriber.error(err),
    );
  };
  const synced = (): void => {
    unsynced = true;
    if (o.fsync === 'window' && !syncTimer) {
      syncTimer = scheduler.schedule(() => {
        syncTimer = undefined;
        if (!unsynced) return;
        unsynced = false;
        chain = chain.then(() => journal.sync()).catch((err: unknown) => fail('the journal could not be synced', err));
      }, o.windowMs);
    }
  };
  const queued = (seq: number, points: readonly Point[]): void => {
    const enqueue = (): void => {
      const keep = retained + points.length <= o.maxBufferPoints;
      if (keep) retained += points.length;
      queue.push({ seq, count: points.length, points: keep ? points : undefined });
      o.onJournaled?.({ seq, points: points.length, firstTime: points[0]![0], lastTime: points.at(-1)![0] });
    };
    if (o.fsync !== 'batch') {
      enqueue();
      synced();
      return;
    }
    // Each batch durable before it is sent (and before onJournaled): it waits for its sync
    // outside the queue, counted as appending, so nothing ends before it is queued.
    appending += points.length;
    chain = chain
      .then(() => journal.sync())
      .then(
        () => {
          appending -= points.length;
          if (stopped) return;
          enqueue();
          pump();
        },
        (err: unknown) => fail('the journal could not be synced', err),
      );
  };
  /** Makes room in the journal for `bytes` by the overflow policy; false when the batch must not be appended. */
  const journalRoom = (points: number): boolean => {
    const bytes = points * FRAME_BYTES_PER_POINT + RECORD_BYTES;
    if (journal.bytes + bytes <= o.maxJournalBytes) return true;
    if (o.overflow === 'drop-newest') {
      dropped += points;
      return false;
    }
    if (o.overflow === 'drop-oldest') {
      // The oldest records not in flight go first (the one in flight is queue[0] and leaves the
      // queue when acknowledged); the journal frees their space once older ones are done.
      const first = inflight ? 1 : 0;
      while (queue.length > first && journal.bytes + bytes > o.maxJournalBytes) {
        const old = queue.splice(first, 1)[0]!;
        dropped += old.count;
        if (old.points) retained -= old.count;
        done(old.seq);
      }
      return true;
    }
    fail(
      pulled
        ? `journal full (${o.maxJournalBytes} bytes)`
        : `journal full (maxJournalBytes ${o.maxJournalBytes}): the server has not acknowledged what is in it; raise maxJournalBytes, or choose overflow 'drop-oldest' or 'drop-newest'`,
    );
    return false;
  };
  const closeBatch = (): void => {
    windowTimer?.unsubscribe();
    windowTimer = undefined;
    if (batch.length === 0 || stopped) return;
    const points = batch;
    batch = [];
    if (!journalRoom(points.length)) return;
    if (journal.appendSync && opened) {
      try {
        queued(journal.appendSync({ kind: 'points', points }), points);
      } catch (err) {
        fail('the journal could not be written', err);
        return;
      }
      pump();
      return;
    }
    appending += points.length;
    chain = chain
      .then(() => journal.append({ kind: 'points', points }))
      .then(
        (seq) => {
          appending -= points.length;
          queued(seq, points);
          pump();
        },
        (err: unknown) => fail('the journal could not be written', err),
      );
  };
  const pump = (): void => {
    if (stopped || inflight || !opened) return finishIfDone();
    const next = queue[0];
    if (!next) return finishIfDone();
    inflight = next;
    const started = scheduler.now();
    const send = (points: readonly Point[]): void => {
      request = sendBatch(
        writeBatch,
        points,
        retryPolicy,
        ({ attempts, replaced }) => {
          if (stopped) return;
          request = undefined;
          done(next.seq);
          queue.shift();
          if (next.points) retained -= next.count;
          inflight = undefined;
          subscriber.next({ points: points.length, firstTime: points[0]![0], lastTime: points.at(-1)![0], attempts, durationMs: scheduler.now() - started, dropped, replaced });
          roomFreed();
          pump();
        },
        (message, err) => {
          request = undefined;
          fail(message, err);
        },
      );
    };
    if (next.points) return send(next.points);
    journal.read(next.seq).then(
      (record) => {
        if (stopped) return;
        if (record.kind !== 'points') return fail(`journal record ${next.seq} holds no points`);
        send(record.points);
      },
      (err: unknown) => fail('the journal could not be read', err),
    );
  };

  const opening = (pending: PendingRecord[]): void => {
    for (const p of pending) if (p.kind === 'points') queue.push({ seq: p.seq, count: p.points ?? 0, points: undefined });
    opened = true;
    // The oldest pending record goes in flight first: a batch that filled while the journal was
    // opening, closed before it, met drop-oldest with nothing in flight and dropped that record.
    pump();
    if (batch.length >= o.maxBatchPoints || (sourceDone && batch.length)) closeBatch();
    roomFreed();
  };
  const openFailed = (err: unknown): void => {
    stopped = true;
    windowTimer?.unsubscribe();
    subscriber.error(err);
  };
  if (journal.openSync) {
    // Synchronously, so that a synchronous source is journaled as it emits.
    try {
      opening(journal.openSync());
    } catch (err) {
      openFailed(err);
    }
  } else chain = journal.open().then(opening, openFailed);

  return {
    get stopped() {
      return stopped;
    },
    get batchEmpty() {
      return batch.length === 0;
    },
    push(point) {
      if (stopped) return;
      if (!pulled && batch.length + appending >= o.maxBufferPoints) {
        // Only a journal without synchronous appends (IndexedDB) gets here: a source faster than it.
        if (o.overflow === 'error') {
          batch.push(point);
          return fail(
            `buffer full (${o.maxBufferPoints} points waiting for the journal): the source emits faster than the journal appends; use writeFrom(series, source) to pull, update() for a one-off upload, or raise maxBufferPoints`,
          );
        }
        dropped++;
        if (o.overflow === 'drop-newest') return;
        batch.shift();
      }
      if (batch.length === 0 && !windowTimer) windowTimer = scheduler.schedule(closeBatch, o.windowMs);
      batch.push(point);
      if (batch.length >= o.maxBatchPoints && opened) closeBatch();
    },
    hasRoom,
    onRoom(callback) {
      roomWaiter = callback;
      roomFreed();
    },
    end(error) {
      if (sourceDone) return;
      sourceDone = true;
      if (error) sourceError = error;
      if (opened) closeBatch();
      finishIfDone();
    },
    teardown() {
      if (stopped) return;
      stopped = true;
      // Everything accepted stays in the journal: the open batch goes in now, and the next sink
      // opened on this journal sends what is not acknowledged.
      windowTimer?.unsubscribe();
      syncTimer?.unsubscribe();
      request?.unsubscribe();
      if (batch.length && opened && journal.appendSync) {
        try {
          journal.appendSync({ kind: 'points', points: batch });
        } catch {
          // Nothing to tell: nobody listens; the points were not accepted.
        }
      } else if (batch.length) {
        const points = batch;
        chain = chain.then(() => journal.append({ kind: 'points', points })).then(() => undefined);
      }
      batch = [];
      if (journal.closeSync && !closing) {
        // At once, so that a sink opened right after on this journal finds it free.
        closing = Promise.resolve();
        try {
          journal.closeSync();
        } catch {
          // Nobody listens; the next open recovers what is on disk.
        }
      } else void closeJournal().catch(() => undefined);
    },
  };
}

/**
 * The journaled core of `writeTo(series, { journal })`: each batch (closed by size or by the
 * window, as in {@link batchWriter}) is appended to the journal first — from then on its points are
 * accepted and survive a crash — then sent, one batch at a time and in order, and marked done in
 * the journal once acknowledged. Records a previous sink on the same journal left unacknowledged
 * are sent first. Retryable failures are retried with backoff for as long as it takes (by default);
 * a refusal (400, 401, 404…) errors with {@link WriteFailedError} and leaves the records in the
 * journal. A full journal (`maxJournalBytes`) meets the `overflow` policy; drops are counted in the
 * receipts. Completes once every batch is acknowledged and the journal is closed. Unsubscribing
 * journals the open batch and closes the journal: what is left is sent by the next sink on it.
 *
 * @param writeBatch - Writes one batch; completes when the server acknowledged it (may emit a `WriteAnswer`).
 * @param journal - Where accepted points wait; opened on subscribe, closed at the end.
 * @param droppedBefore - Points dropped before the sink existed (held while its code loaded), counted in its receipts.
 */
export function journaledWriter(
  writeBatch: (points: readonly Point[]) => Observable<unknown>,
  journal: Journal,
  options: WriteOptions & JournalOptions = {},
  droppedBefore = 0,
): OperatorFunction<Point, WriteReceipt> {
  return (source) =>
    new Observable<WriteReceipt>((subscriber) => {
      const core = startJournaled(subscriber, writeBatch, journal, options, false, droppedBefore);
      const upstream = source.subscribe({
        next: (p) => core.push(p),
        error: (error: unknown) => core.end({ error }),
        complete: () => core.end(),
      });
      return () => {
        upstream.unsubscribe();
        core.teardown();
      };
    });
}

/**
 * The pull form: takes points from `source` only while the journal and the memory budget have
 * room, so a source of any size (a file of billions of lines) is written with bounded memory and
 * disk. Otherwise as {@link journaledWriter}. An error thrown by the source is passed on after
 * what was taken from it is written. Unsubscribing stops pulling (the iterator is returned).
 *
 * @param source - Batches or single points, pulled one `next()` at a time.
 */
export function journaledPull(
  writeBatch: (points: readonly Point[]) => Observable<unknown>,
  journal: Journal,
  source: AsyncIterable<readonly Point[]>,
  options: WriteOptions & JournalOptions = {},
): Observable<WriteReceipt> {
  return new Observable<WriteReceipt>((subscriber) => {
    const core = startJournaled(subscriber, writeBatch, journal, options, true);
    const iterator = source[Symbol.asyncIterator]();
    let done = false;
    const waitRoom = (): Promise<void> => (core.hasRoom() ? Promise.resolve() : new Promise<void>((resolve) => core.onRoom(resolve)));
    const loop = async (): Promise<void> => {
      try {
        for (;;) {
          await waitRoom();
          if (done || core.stopped) return;
          const r = await iterator.next();
          if (done || core.stopped) return;
          if (r.done) break;
          // A chunk (a CSV read of any size) may hold more than the room left: what does not fit
          // waits for it, one batch at a time, so a pulled source never meets the overflow policy.
          // By index: an iterator here allocates a result object per point (380 MB over a
          // 10 M-line backfill), since the await in the loop keeps V8 from removing it.
          const points = r.value;
          for (let i = 0; i < points.length; i++) {
            if (core.batchEmpty && !core.hasRoom()) {
              await waitRoom();
              if (done || core.stopped) return;
            }
            core.push(points[i]!);
          }
        }
        done = true;
        core.end();
      } catch (error) {
        done = true;
        core.end({ error });
      }
    };
    void loop();
    return () => {
      if (!done) {
        done = true;
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
      }
      core.teardown();
    };
  });
}
