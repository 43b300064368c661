import { ParseError } from '../errors/ParseError.js';
import type { PointValue } from './Point.js';

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads a value as it travels on the wire: a finite number (`14`, `10.0`, `-2.0`, `1e3`) or the
 * literals `null`, `true`, `false` in any case. Throws {@link ParseError} for anything else,
 * including `NaN` and `Infinity`.
 */
export function parseValue(text: string): PointValue {
  const t = text.trim();
  if (NUMERIC.test(t)) {
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  }
  switch (t.toLowerCase()) {
    case 'null':
      return null;
    case 'true':
      return true;
    case 'false':
      return false;
  }
  throw new ParseError(`invalid value ${JSON.stringify(text)}: expected a finite number, null, true or false`, { text });
}

/** Checks a value given by code (not text): finite number, boolean or null. */
export function checkValue(value: unknown): PointValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return parseValue(value);
  const text = typeof value === 'number' ? String(value) : typeof value;
  throw new ParseError(`invalid value ${text}: expected a finite number, null, true or false`, { text });
}
