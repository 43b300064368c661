import type { PointValue } from '../../../codec/Point.js';

/** Points as two columns, ascending and unique by time: `values[i]` is the value at `times[i]`. */
export interface Columns {
  readonly times: ArrayLike<number>;
  readonly values: ArrayLike<PointValue>;
}
