import { Subject, type Subscription } from 'rxjs';
import type { PointValue } from '../../codec/Point.js';
import { nextTimeAfter, writeTo, type Series, type WriteOptions } from '../../index.js';
import type { AckTicket } from './AckQueue.js';

/** How a {@link SeriesSink} reports. */
export interface SeriesSinkEvents {
  /** The server acknowledged a batch: these messages are written. */
  written(tickets: AckTicket[]): void;
  /** The sink gave up (a refused batch): these messages will never be written; `error` says why. */
  failed(tickets: AckTicket[], error: unknown): void;
  /** Everything pushed before {@link SeriesSink.end} is settled. */
  ended(): void;
}

/**
 * The bridge's writer into one series: points go through `writeTo` (batched, retried with backoff
 * while the server is unreachable or busy), and every receipt settles the messages of its batch,
 * in order (a receipt of n points is the next n messages pushed). Points without a time are stamped
 * with `now`, made strictly later than the previous stamp of this series so that two messages in
 * one millisecond stay two points.
 */
export class SeriesSink {
  private readonly points = new Subject<readonly [number, PointValue]>();
  private readonly waiting: AckTicket[] = [];
  private waitingHead = 0;
  private readonly subscription: Subscription;
  private lastStamp = -Infinity;
  private closed = false;

  /**
   * @param series - Where the points go.
   * @param options - `writeTo` options (batch size, window, retries).
   * @param events - Where settled messages are reported.
   */
  constructor(
    readonly series: Series,
    options: WriteOptions,
    private readonly events: SeriesSinkEvents,
  ) {
    this.subscription = this.points.pipe(writeTo(series, options)).subscribe({
      next: (receipt) => this.events.written(this.take(receipt.points)),
      error: (err: unknown) => {
        this.closed = true;
        this.events.failed(this.take(Infinity), err);
        this.events.ended();
      },
      complete: () => {
        this.events.failed(this.take(Infinity), new Error('the writer ended before acknowledging these points'));
        this.events.ended();
      },
    });
  }

  /** Messages pushed and not yet settled. */
  get pending(): number {
    return this.waiting.length - this.waitingHead;
  }

  /** Whether the sink still takes points (false once it failed or ended). */
  get open(): boolean {
    return !this.closed;
  }

  /** A stamp for a message without a time: `nowSeconds`, or just after this series' previous stamp. */
  stamp(nowSeconds: number): number {
    this.lastStamp = nowSeconds > this.lastStamp ? nowSeconds : nextTimeAfter(this.lastStamp);
    return this.lastStamp;
  }

  /** Writes one point; `ticket` is settled once the server acknowledged it. */
  push(time: number, value: PointValue, ticket: AckTicket): void {
    this.waiting.push(ticket);
    this.points.next([time, value]);
  }

  /** No more points: the rest is written, then `ended` is told. */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.points.complete();
  }

  /** Stops at once, writing nothing more (what is unsettled stays unacknowledged). */
  abort(): void {
    this.closed = true;
    this.subscription.unsubscribe();
  }

  private take(n: number): AckTicket[] {
    const end = Math.min(this.waiting.length, this.waitingHead + n);
    const out = this.waiting.slice(this.waitingHead, end);
    this.waitingHead = end;
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitingHead);
      this.waitingHead = 0;
    }
    return out;
  }
}
