import type { PointValue } from './Point.js';

/** A value as the wire writes it: numbers in shortest form, literals in lower case. */
export function formatValue(value: PointValue): string {
  return value === null ? 'null' : String(value);
}
