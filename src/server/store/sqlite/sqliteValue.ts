import type { PointValue } from '../../../codec/Point.js';

/** SQLite has no boolean: true/false are stored as the text 't' / 'f'. */
export type SqliteValue = number | string | null;

export function toSqliteValue(value: PointValue): SqliteValue {
  return value === true ? 't' : value === false ? 'f' : value;
}

export function fromSqliteValue(value: SqliteValue | bigint): PointValue {
  if (value === 't') return true;
  if (value === 'f') return false;
  if (typeof value === 'bigint') return Number(value);
  return value as number | null;
}
