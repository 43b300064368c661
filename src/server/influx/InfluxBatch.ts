import type { PointValue } from '../../codec/Point.js';
import type { Columns } from '../store/chunks/Columns.js';
import { HttpProblem } from '../http/HttpProblem.js';
import type { LineSeries } from './LineProtocolParser.js';

/** The points of one (database, measurement, tag set, field) in a request. */
export interface InfluxSeriesPoints {
  /** The mapping's canonical key: the same text for every line naming this series. */
  readonly key: string;
  readonly database: string;
  readonly measurement: string;
  readonly tags: readonly (readonly [string, string])[];
  readonly field: string;
  /** The points, ascending and unique by time (the last one written at a time wins). */
  readonly points: Columns;
}

class Accumulator {
  times = new Float64Array(16);
  values: Float64Array | PointValue[] = new Float64Array(16);
  length = 0;
  sorted = true;

  constructor(
    readonly key: string,
    readonly series: LineSeries,
    readonly field: string,
  ) {}

  push(t: number, v: number | boolean): void {
    const n = this.length;
    if (n === this.times.length) {
      const times = new Float64Array(2 * n);
      times.set(this.times);
      this.times = times;
      if (this.values instanceof Float64Array) {
        const values = new Float64Array(2 * n);
        values.set(this.values);
        this.values = values;
      }
    }
    if (typeof v === 'boolean' && this.values instanceof Float64Array) this.values = Array.from(this.values.subarray(0, n));
    if (n > 0 && t <= this.times[n - 1]!) this.sorted = false;
    this.times[n] = t;
    this.values[n] = v;
    this.length = n + 1;
  }

  /** Ascending, unique by time, the later arrival winning at equal times. */
  columns(): Columns {
    const n = this.length;
    const times = this.times.subarray(0, n);
    const values = this.values instanceof Float64Array ? this.values.subarray(0, n) : this.values.slice(0, n);
    if (this.sorted) return { times, values };
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Stable on arrival order, so the last of equal times is the last of its run.
    order.sort((a, b) => times[a]! - times[b]! || a - b);
    const outTimes = new Float64Array(n);
    const outValues = new Array<PointValue>(n);
    let m = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const t = times[i]!;
      if (m > 0 && outTimes[m - 1] === t) m--;
      outTimes[m] = t;
      outValues[m++] = values[i]!;
    }
    return { times: outTimes.subarray(0, m), values: outValues.slice(0, m) };
  }
}

/**
 * The points of one line-protocol request, grouped by series (database, measurement, tag set,
 * field), in typed arrays (16 bytes a numeric point). `add` is the parser's sink; lines without a
 * timestamp take `now`.
 *
 * @example
 * ```ts
 * const batch = new InfluxBatch('telegraf', Date.now() / 1000);
 * const parser = new LineProtocolParser('ns', limits, batch.add);
 * parser.push(body); parser.end();
 * for (const s of batch.series()) console.log(s.key, s.points.times.length);
 * ```
 */
export class InfluxBatch {
  /** Points added so far. */
  points = 0;
  private readonly bySeries = new Map<LineSeries, Map<string, Accumulator>>();
  private readonly byKey = new Map<string, Accumulator>();

  /**
   * @param database - The database (1.x) or bucket (2.x) the request names.
   * @param now - Unix seconds given to lines without a timestamp.
   * @param maxSeries - Most series one batch may hold: one more is a 422 naming
   *   `maxInfluxSeriesPerUser` (no user may hold more, so the write could never succeed).
   */
  constructor(
    readonly database: string,
    private readonly now: number,
    private readonly maxSeries = Number.POSITIVE_INFINITY,
  ) {}

  /** Distinct series so far. */
  get size(): number {
    return this.byKey.size;
  }

  /** The parser's sink. */
  readonly add = (series: LineSeries, field: string, time: number | undefined, value: number | boolean): void => {
    let fields = this.bySeries.get(series);
    if (!fields) {
      fields = new Map();
      this.bySeries.set(series, fields);
    }
    let acc = fields.get(field);
    if (!acc) {
      const key = JSON.stringify([this.database, series.measurement, series.tags, field]);
      acc = this.byKey.get(key);
      if (!acc) {
        if (this.byKey.size >= this.maxSeries) {
          throw new HttpProblem(422, `the write names more than ${this.maxSeries} series, the most one user may hold (maxInfluxSeriesPerUser); nothing was applied`);
        }
        acc = new Accumulator(key, series, field);
        this.byKey.set(key, acc);
      }
      fields.set(field, acc);
    }
    acc.push(time ?? this.now, value);
    this.points++;
  };

  /** Each series of the request with its points, ascending and unique by time. */
  *series(): Iterable<InfluxSeriesPoints> {
    for (const acc of this.byKey.values()) {
      yield {
        key: acc.key,
        database: this.database,
        measurement: acc.series.measurement,
        tags: acc.series.tags,
        field: acc.field,
        points: acc.columns(),
      };
    }
  }
}
