import type { PointValue } from '../../codec/Point.js';
import { StoreConflictError } from './StoreConflictError.js';

/**
 * The increment rule both stores apply inside the write's transaction: the new value is the
 * latest plus `delta` (just `delta` on an empty series), and the point never lands before the
 * latest one. An increment stamped earlier (taken before its transaction waited for the series
 * lock, or on an instance whose clock is behind, or after a point written in the future) lands on
 * the latest point's time instead: otherwise it would hide behind that point and the next
 * increment would build on a value without it.
 */
export const incrementRule = {
  /**
   * `latest + delta`; a {@link StoreConflictError} when the latest value is not a number or the
   * sum is not a finite double (nothing is applied, the latest value stays).
   */
  value(id: string, latest: PointValue | undefined, delta: number): number {
    if (latest === undefined) return delta;
    if (typeof latest !== 'number') throw new StoreConflictError(`cannot increment: the latest value of ${id} is ${String(latest)}, not a number`);
    const sum = latest + delta;
    if (!Number.isFinite(sum)) throw new StoreConflictError(`cannot increment: ${latest} + ${delta} overflows a double (the latest value of ${id} stays ${latest})`);
    return sum;
  },
  /** The time the increment lands at: `time`, or the latest point's when that is later. */
  time(latestTime: number | undefined, time: number): number {
    return latestTime !== undefined && latestTime > time ? latestTime : time;
  },
} as const;
