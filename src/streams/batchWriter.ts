import { Observable, asyncScheduler, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Point } from '../codec/Point.js';
import { WriteFailedError } from '../errors/WriteFailedError.js';
import type { PauseGate } from './PauseGate.js';
import { sendBatch } from './sendBatch.js';

/** One acknowledged batch. */
export interface WriteReceipt {
  /** Points in the batch. */
  points: number;
  /** Time of its first and last point (unix seconds). */
  firstTime: number;
  lastTime: number;
  /** Requests it took (1 = no retry). */
  attempts: number;
  /** From the first attempt to the acknowledgement, ms (scheduler time). */
  durationMs: number;
  /** Points dropped by the overflow policy so far in this subscription. */
  dropped: number;
  /**
   * Points of the batch that replaced a stored point at the same time (the server's
   * `X-Timetric-Replaced`); undefined when the server does not report it. More than 0 usually means
   * readings stamped too coarsely (whole seconds at several readings a second).
   */
  replaced: number | undefined;
}

/** Options of {@link batchWriter} and `writeTo`; defaults in {@link DEFAULT_WRITE_OPTIONS}. */
export interface WriteOptions {
  /** A batch closes at this many points. Default 5,000. */
  maxBatchPoints?: number;
  /** …or at about this many bytes of CSV. Default 1,000,000. */
  maxBatchBytes?: number;
  /** …or this long after the first point of an empty batch arrived, ms (a real timer). Default 1,000. */
  windowMs?: number;
  /** Points held (buffered and in flight) before the overflow policy applies. Default 100,000. */
  maxBufferPoints?: number;
  /** When the buffer is full: `'error'` the stream, `'drop-oldest'` or `'drop-newest'` (counted in receipts). Default `'error'`. */
  overflow?: 'error' | 'drop-oldest' | 'drop-newest';
  /** Retries of one batch before giving up. Default 10. */
  maxRetries?: number;
  /** Total time one batch may spend retrying, ms. Default 120,000. */
  deadlineMs?: number;
  /** First retry delay (doubles each time, with jitter), ms. Default 250. */
  retryBaseMs?: number;
  /** Longest delay between retries (also caps Retry-After), ms. Default 30,000. */
  maxBackoffMs?: number;
  /** Random source for jitter. Default `Math.random`. */
  random?: () => number;
  /** Shared pause: a 429/503 closes it for every stream of the client, and every request waits for it. Default: none (writeTo passes the client's). */
  gate?: PauseGate;
  /** Where every timer runs. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * On unsubscribe, keep writing what is buffered and in flight (true, default) or abort it (false).
   * Nobody listens any more, so the outcome goes to `onDetached`.
   */
  flushOnUnsubscribe?: boolean;
  /** Told how a flush after unsubscribe ended: receipts as batches land, then an error or `done`. Default: errors go to `console.error`. */
  onDetached?: (event: { receipt: WriteReceipt } | { error: WriteFailedError } | { done: true }) => void;
}

/**
 * Defaults of {@link WriteOptions}, merged under the options given to `writeTo`, `writeFrom` and
 * {@link batchWriter}: batches of at most 5,000 points or 1 MB, closed after a 1 s window; at most
 * 100,000 points held (`overflow: 'error'` beyond); up to 10 retries within 120 s, the wait
 * growing from 250 ms to at most 30 s (with jitter); what is buffered is still written after
 * unsubscribe.
 */
export const DEFAULT_WRITE_OPTIONS = {
  maxBatchPoints: 5_000,
  maxBatchBytes: 1_000_000,
  windowMs: 1_000,
  maxBufferPoints: 100_000,
  overflow: 'error' as 'error' | 'drop-oldest' | 'drop-newest',
  maxRetries: 10,
  deadlineMs: 120_000,
  retryBaseMs: 250,
  maxBackoffMs: 30_000,
  flushOnUnsubscribe: true,
};

const bytesOf = (p: Point): number => 24 + (typeof p[1] === 'number' ? 12 : 5);

/**
 * The batching core of `writeTo`: collects points into batches that close on size (points or
 * bytes) or on a window timer started by the first point of an empty batch; writes one batch at a
 * time (order is kept, a retried batch is never overtaken); retries network errors, 408, 429, 502,
 * 503 and 504 with exponential backoff and jitter, honouring `Retry-After`, within `maxRetries` and
 * `deadlineMs`; emits one {@link WriteReceipt} per acknowledged batch. Completes only after the last
 * batch is acknowledged. Fails with {@link WriteFailedError} carrying every unwritten point. Holds at
 * most `maxBufferPoints`; beyond that the `overflow` policy applies and drops are counted.
 *
 * @param writeBatch - Writes one batch; completes when the server acknowledged it. Unsubscribing aborts it.
 */
export function batchWriter(writeBatch: (points: Point[]) => Observable<unknown>, options: WriteOptions = {}): OperatorFunction<Point, WriteReceipt> {
  const o = { ...DEFAULT_WRITE_OPTIONS, ...options };
  const scheduler = options.scheduler ?? asyncScheduler;
  const retryPolicy = { maxRetries: o.maxRetries, deadlineMs: o.deadlineMs, retryBaseMs: o.retryBaseMs, maxBackoffMs: o.maxBackoffMs, random: options.random ?? Math.random, scheduler, gate: options.gate };
  return (source) =>
    new Observable<WriteReceipt>((subscriber) => {
      const buffer: Point[] = [];
      let bufferBytes = 0;
      let inflight: Point[] | undefined;
      let request: Subscription | undefined;
      let timer: Subscription | undefined; // window or retry delay
      let windowDue = false;
      let sourceDone = false;
      let sourceError: { error: unknown } | undefined;
      let dropped = 0;
      let stopped = false;
      let detached = false;
      const report = (event: Parameters<NonNullable<WriteOptions['onDetached']>>[0]): void => {
        if (options.onDetached) options.onDetached(event);
        else if ('error' in event) console.error(`timetric writeTo: flush after unsubscribe failed: ${event.error.message}`);
      };

      const fail = (message: string, cause?: unknown): void => {
        stopped = true;
        timer?.unsubscribe();
        const error = new WriteFailedError(message, [...(inflight ?? []), ...buffer], dropped, cause);
        if (detached) report({ error });
        else subscriber.error(error);
      };
      const finishIfDone = (): void => {
        if (sourceDone && !inflight && buffer.length === 0 && !stopped) {
          stopped = true;
          if (detached) return report({ done: true });
          if (sourceError) subscriber.error(sourceError.error);
          else subscriber.complete();
        }
      };
      const startWindow = (): void => {
        windowDue = false;
        timer = scheduler.schedule(() => {
          timer = undefined;
          windowDue = true;
          flush();
        }, o.windowMs);
      };
      const flush = (): void => {
        if (stopped || inflight || buffer.length === 0) return finishIfDone();
        const full = buffer.length >= o.maxBatchPoints || bufferBytes >= o.maxBatchBytes;
        if (!full && !windowDue && !sourceDone) return;
        let n = 0;
        let bytes = 0;
        while (n < buffer.length && n < o.maxBatchPoints && bytes < o.maxBatchBytes) bytes += bytesOf(buffer[n++]!);
        const batch = buffer.splice(0, n);
        bufferBytes -= bytes;
        timer?.unsubscribe();
        timer = undefined;
        windowDue = false;
        if (buffer.length) startWindow();
        send(batch, scheduler.now());
      };
      const send = (batch: Point[], started: number): void => {
        inflight = batch;
        request = sendBatch(
          writeBatch,
          batch,
          retryPolicy,
          ({ attempts, replaced }) => {
            request = undefined;
            inflight = undefined;
            const receipt = { points: batch.length, firstTime: batch[0]![0], lastTime: batch.at(-1)![0], attempts, durationMs: scheduler.now() - started, dropped, replaced };
            if (detached) report({ receipt });
            else subscriber.next(receipt);
            flush();
          },
          (message, err) => {
            request = undefined;
            fail(message, err);
          },
        );
      };

      // True while the source emits inside subscribe(): a synchronous source.
      let subscribing = true;
      const upstream = source.subscribe({
        next: (point) => {
          if (stopped) return;
          if (buffer.length + (inflight?.length ?? 0) >= o.maxBufferPoints) {
            if (o.overflow === 'error') {
              buffer.push(point);
              return fail(
                subscribing
                  ? `buffer full (${o.maxBufferPoints} points): the source emitted them all at once (a synchronous source such as from(array)), faster than any server can acknowledge; use writeFrom(series, source) to pull them as there is room, update(points) for a one-off upload, or raise maxBufferPoints`
                  : `buffer full (${o.maxBufferPoints} points): the server does not acknowledge as fast as the source emits; use writeFrom(series, source) to pull, a journal to hold more on disk, overflow 'drop-oldest'/'drop-newest', or raise maxBufferPoints`,
              );
            }
            dropped++;
            if (o.overflow === 'drop-newest') return;
            const old = buffer.shift();
            if (old) bufferBytes -= bytesOf(old);
          }
          if (buffer.length === 0 && !timer) startWindow();
          buffer.push(point);
          bufferBytes += bytesOf(point);
          flush();
        },
        error: (error: unknown) => {
          sourceDone = true;
          sourceError = { error };
          flush();
        },
        complete: () => {
          sourceDone = true;
          flush();
        },
      });
      subscribing = false;
      return () => {
        upstream.unsubscribe();
        timer?.unsubscribe();
        timer = undefined;
        if (stopped) return;
        if (o.flushOnUnsubscribe && (inflight || buffer.length)) {
          // Keep going without a listener: the batch in flight finishes, the rest is sent at once.
          detached = true;
          sourceDone = true;
          flush();
          return;
        }
        stopped = true;
        request?.unsubscribe();
      };
    });
}
