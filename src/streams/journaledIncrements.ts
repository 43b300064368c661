import { Observable, Subscription, asyncScheduler, type OperatorFunction } from 'rxjs';
import type { JournalIncrement } from '../codec/journalRecord.js';
import { OutcomeUnknownError } from '../errors/OutcomeUnknownError.js';
import { ParseError } from '../errors/ParseError.js';
import type { Journal, JournalEntry, PendingRecord } from '../journal/Journal.js';
import { DEFAULT_INCREMENT_OPTIONS, type IncrementOptions, type IncrementReceipt } from './IncrementOptions.js';
import { isNotApplied } from './isNotApplied.js';
import { isRetryable } from './isRetryable.js';
import type { JournalOptions } from './journaledWriter.js';
import { newIdempotencyKey } from './newIdempotencyKey.js';
import { retryThroughGate } from './retry/retryThroughGate.js';

/** A journal that may also work synchronously (a file journal). */
interface SyncJournal {
  ackSync?(seq: number): void;
  openSync?(): PendingRecord[];
  appendSync?(entry: JournalEntry): number;
  closeSync?(): void;
}

type Window = Omit<JournalIncrement, 'kind'>;

/**
 * The journaled core of `incrementTo(series, { journal })`, for exactly-once counters across
 * crashes: each window's sum is appended to the journal with a fresh `Idempotency-Key` before it
 * is sent (from then on it is accepted), sent one at a time and in order, and marked done once
 * acknowledged. A sink opened later on the same journal first sends what was left, under the same
 * keys, so a server that honours them (this package's does, for 24 h by default) applies each
 * window exactly once whatever was killed when. Network errors, timeouts and 408/429/502/503/504
 * are retried with backoff while the key is younger than `idempotencyWindowMs`; past it an
 * unknown outcome is an {@link OutcomeUnknownError}. A refusal (400, 404, 409…) errors with it;
 * the record stays in the journal. Unsubscribing journals the open window and closes the journal.
 * The journal is synced after each window unless `fsync` is `'never'`.
 *
 * @param sendIncrement - Sends one increment with its key; completes once acknowledged.
 * @param journal - Where accepted windows wait; opened on subscribe, closed at the end.
 */
export function journaledIncrements(
  sendIncrement: (amount: number, key: string) => Observable<unknown>,
  journal: Journal,
  options: IncrementOptions & Pick<JournalOptions, 'fsync'> & { onJournaled?: (window: { seq: number; key: string; amount: number; increments: number }) => void } = {},
): OperatorFunction<number, IncrementReceipt> {
  const o = { ...DEFAULT_INCREMENT_OPTIONS, maxRetries: Infinity, ...options };
  const scheduler = options.scheduler ?? asyncScheduler;
  const newKey = options.newKey ?? newIdempotencyKey;
  const retryPolicy = { maxRetries: o.maxRetries, retryBaseMs: o.retryBaseMs, maxBackoffMs: o.maxBackoffMs, random: options.random ?? Math.random, scheduler, gate: options.gate };
  const j = journal as Journal & SyncJournal;
  return (source) =>
    new Observable<IncrementReceipt>((subscriber) => {
      let pending = 0;
      let pendingCount = 0;
      let windowTimer: Subscription | undefined;
      const queue: { seq: number; window: Window | undefined }[] = [];
      let inFlight: Subscription | undefined;
      let chain: Promise<unknown> = Promise.resolve();
      let opened = false;
      let sourceDone = false;
      let sourceError: { err: unknown } | undefined;
      let stopped = false;

      const stop = (error: unknown): void => {
        if (stopped) return;
        stopped = true;
        windowTimer?.unsubscribe();
        inFlight?.unsubscribe();
        void chain.then(() => journal.close()).finally(() => subscriber.error(error));
      };
      const finishIfIdle = (): void => {
        if (stopped || !sourceDone || !opened || pendingCount > 0 || inFlight || queue.length) return;
        stopped = true;
        void chain
          .then(() => journal.close())
          .then(
            () => (sourceError ? subscriber.error(sourceError.err) : subscriber.complete()),
            (err: unknown) => subscriber.error(err),
          );
      };
      const closeWindow = (): void => {
        windowTimer?.unsubscribe();
        windowTimer = undefined;
        if (pendingCount === 0 || stopped || !opened) return;
        const entry = { kind: 'increment' as const, key: newKey(), amount: pending, increments: pendingCount, createdAt: scheduler.now() };
        pending = 0;
        pendingCount = 0;
        const queued = (seq: number): void => {
          queue.push({ seq, window: { ...entry, seq } });
          options.onJournaled?.({ seq, key: entry.key, amount: entry.amount, increments: entry.increments });
          if (o.fsync !== 'never') chain = chain.then(() => journal.sync()).catch(stop);
          pump();
        };
        if (j.appendSync) {
          try {
            queued(j.appendSync(entry));
          } catch (err) {
            stop(err);
          }
        } else chain = chain.then(() => journal.append(entry)).then(queued, stop);
      };
      const send = (item: { seq: number; window: Window }): void => {
        const w = item.window;
        const started = scheduler.now();
        let attempts = 0;
        const request = new Subscription();
        inFlight = request;
        request.add(
          retryThroughGate(
            () => {
              attempts++;
              return sendIncrement(w.amount, w.key);
            },
            { ...retryPolicy, resetOnSuccess: false, shouldRetry: (err) => isNotApplied(err) || (isRetryable(err) && scheduler.now() - w.createdAt < o.idempotencyWindowMs) },
          ).subscribe({
            error: (err: unknown) => {
              inFlight = undefined;
              const unknown = !isNotApplied(err) && (isRetryable(err) || typeof (err as { status?: unknown } | null)?.status !== 'number');
              stop(unknown ? new OutcomeUnknownError(w.amount, pending + queue.slice(1).reduce((n, q) => n + (q.window?.amount ?? 0), 0), err) : err);
            },
            complete: () => {
              if (stopped) return;
              inFlight = undefined;
              queue.shift();
              if (j.ackSync) j.ackSync(item.seq);
              else chain = chain.then(() => journal.ack(item.seq)).catch(stop);
              subscriber.next({ amount: w.amount, increments: w.increments, attempts, durationMs: scheduler.now() - started });
              pump();
            },
          }),
        );
      };
      const pump = (): void => {
        if (stopped || inFlight || !opened) return;
        const next = queue[0];
        if (!next) {
          if (sourceDone && pendingCount > 0) closeWindow();
          return finishIfIdle();
        }
        if (next.window) return send(next as { seq: number; window: Window });
        // Left by an earlier sink: read it back (its key comes with it).
        inFlight = new Subscription();
        journal.read(next.seq).then(
          (record) => {
            inFlight = undefined;
            if (record.kind !== 'increment') {
              queue.shift();
              return pump();
            }
            next.window = record;
            pump();
          },
          (err: unknown) => stop(err),
        );
      };
      const opening = (pendingRecords: PendingRecord[]): void => {
        for (const p of pendingRecords) if (p.kind === 'increment') queue.push({ seq: p.seq, window: undefined });
        opened = true;
        // A window whose time ran out while the journal was opening (an IndexedDB open can take
        // longer than windowMs) closes now: its timer is spent, and no later increment re-arms it.
        if (sourceDone || (pendingCount > 0 && !windowTimer)) closeWindow();
        pump();
      };
      if (j.openSync) {
        try {
          opening(j.openSync());
        } catch (err) {
          stopped = true;
          subscriber.error(err);
          return;
        }
      } else chain = journal.open().then(opening, (err: unknown) => ((stopped = true), subscriber.error(err)));

      const upstream = source.subscribe({
        next: (delta) => {
          if (stopped) return;
          if (typeof delta !== 'number' || !Number.isFinite(delta)) {
            return stop(new ParseError(`increment must be a finite number, got ${String(delta)}`, { text: String(delta) }));
          }
          pending += delta;
          pendingCount++;
          if (pendingCount === 1) windowTimer = scheduler.schedule(closeWindow, o.windowMs);
        },
        error: (err: unknown) => {
          sourceDone = true;
          sourceError = { err };
          closeWindow();
          finishIfIdle();
        },
        complete: () => {
          sourceDone = true;
          closeWindow();
          finishIfIdle();
        },
      });
      return () => {
        upstream.unsubscribe();
        if (stopped) return;
        // What was accepted stays in the journal: the open window goes in now, unsent windows wait
        // for the next sink on this journal.
        if (opened && pendingCount > 0) closeWindowQuietly();
        stopped = true;
        windowTimer?.unsubscribe();
        inFlight?.unsubscribe();
        if (j.closeSync) j.closeSync();
        else void chain.then(() => journal.close()).catch(() => undefined);
      };
      function closeWindowQuietly(): void {
        const entry = { kind: 'increment' as const, key: newKey(), amount: pending, increments: pendingCount, createdAt: scheduler.now() };
        pending = 0;
        pendingCount = 0;
        if (j.appendSync) j.appendSync(entry);
        else chain = chain.then(() => journal.append(entry));
      }
    });
}
