import type { Point } from '../../../codec/Point.js';

/** PostgreSQL's float8 takes NaN and ±Infinity; a point may not have them. */
export function checkPoint(t: number, value: Point[1]): void {
  if (!Number.isFinite(t)) throw new RangeError(`a point's time must be a finite number, not ${String(t)}`);
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`a point's value must be a finite number, true, false or null, not ${String(value)}`);
  }
}
