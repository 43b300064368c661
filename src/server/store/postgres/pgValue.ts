import type { PointValue } from '../../../codec/Point.js';

/** A value as two nullable columns: `v` (float8) for numbers, `b` (boolean) for true/false. */
export function toPgValue(value: PointValue): [v: number | null, b: boolean | null] {
  if (typeof value === 'number') return [value, null];
  if (typeof value === 'boolean') return [null, value];
  return [null, null];
}

export function fromPgValue(v: number | null, b: boolean | null): PointValue {
  return v ?? b;
}

/** One `COPY … FROM STDIN` text-format field for a float8 (`\N` is NULL). */
export function copyNumber(n: number | null): string {
  return n === null ? '\\N' : Object.is(n, -0) ? '-0' : String(n);
}

/** A float8 query parameter; -0 as text, since pg would send `String(-0)`, which is "0". */
export function pgNumber(n: number | null): number | string | null {
  return n !== null && Object.is(n, -0) ? '-0' : n;
}

/**
 * Columns as three PostgreSQL array literals (`float8[]`, `float8[]`, `boolean[]`) for an
 * `unnest($1::float8[], $2::float8[], $3::boolean[])`: pg's own array serialisation writes -0 as
 * "0", so the literals are built here (every number in its exact shortest form).
 */
export function pgPointArrays(times: ArrayLike<number>, values: ArrayLike<PointValue>): [ts: string, v: string, b: string] {
  const n = times.length;
  const ts = new Array<string>(n);
  const vs = new Array<string>(n);
  const bs = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    ts[i] = copyNumber(times[i]!);
    vs[i] = typeof value === 'number' ? copyNumber(value) : 'NULL';
    bs[i] = value === true ? 't' : value === false ? 'f' : 'NULL';
  }
  return [`{${ts.join(',')}}`, `{${vs.join(',')}}`, `{${bs.join(',')}}`];
}
