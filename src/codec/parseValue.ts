import { ParseError } from '../errors/ParseError.js';
import { isNumberText } from './isNumberText.js';
import type { PointValue } from './Point.js';
import { quoteExcerpt } from './quoteExcerpt.js';

/**
 * Reads a value as it travels on the wire: a finite number (`14`, `10.0`, `-2.0`, `1e3`) or the
 * literals `null`, `true`, `false` in any case. Throws {@link ParseError} for anything else,
 * including `NaN` and `Infinity`. Linear in the length of `text` (see {@link isNumberText}); the
 * error message quotes at most 200 characters of it.
 */
export function parseValue(text: string): PointValue {
  const t = text.trim();
  if (isNumberText(t)) {
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  }
  // The literals are short: no lower-casing a megabyte of junk to find that out.
  if (t.length <= 5) {
    switch (t.toLowerCase()) {
      case 'null':
        return null;
      case 'true':
        return true;
      case 'false':
        return false;
    }
  }
  throw new ParseError(`invalid value ${quoteExcerpt(text)}: expected a finite number, null, true or false`, { text });
}

/** Checks a value given by code (not text): finite number, boolean or null. */
export function checkValue(value: unknown): PointValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') return parseValue(value);
  const text = typeof value === 'number' ? String(value) : typeof value;
  throw new ParseError(`invalid value ${text}: expected a finite number, null, true or false`, { text });
}
