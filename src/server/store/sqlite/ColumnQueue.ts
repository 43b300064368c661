import type { PointValue } from '../../../codec/Point.js';
import type { Columns } from '../chunks/Columns.js';

const slice = <T extends ArrayLike<unknown>>(a: T, from: number, to: number): T =>
  (a instanceof Float64Array ? a.subarray(from, to) : Array.prototype.slice.call(a, from, to)) as unknown as T;

/**
 * Columns in, columns of an exact size out: a read step gives however many points its chunks
 * hold, the store's readers hand out `chunkSize` at a time. A piece that covers a whole take is
 * handed out as a view (decoded `Float64Array`s stay typed arrays, so the CSV encoder reads them
 * without a copy); only takes that span pieces are copied.
 */
export class ColumnQueue {
  private pieces: Columns[] = [];
  /** Points queued. */
  length = 0;

  /** Queues the first `n` points of `c` (all by default). */
  push(c: Columns, n = c.times.length): void {
    if (n <= 0) return;
    this.pieces.push(n === c.times.length ? c : { times: slice(c.times, 0, n), values: slice(c.values, 0, n) });
    this.length += n;
  }

  /** The first `n` points queued (all when fewer), removed from the queue. */
  take(n: number): Columns {
    n = Math.min(n, this.length);
    this.length -= n;
    const head = this.pieces[0]!;
    if (head.times.length >= n) {
      if (head.times.length === n) this.pieces.shift();
      else this.pieces[0] = { times: slice(head.times, n, head.times.length), values: slice(head.values, n, head.values.length) };
      return head.times.length === n ? head : { times: slice(head.times, 0, n), values: slice(head.values, 0, n) };
    }
    const times = new Float64Array(n);
    const values = new Array<PointValue>(n);
    let k = 0;
    while (k < n) {
      const p = this.pieces[0]!;
      const m = Math.min(p.times.length, n - k);
      for (let i = 0; i < m; i++, k++) {
        times[k] = p.times[i]!;
        values[k] = p.values[i]!;
      }
      if (m === p.times.length) this.pieces.shift();
      else this.pieces[0] = { times: slice(p.times, m, p.times.length), values: slice(p.values, m, p.values.length) };
    }
    return { times, values };
  }
}
