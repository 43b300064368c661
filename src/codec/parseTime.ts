import { ParseError } from '../errors/ParseError.js';
import { isNumberText } from './isNumberText.js';
import type { TimeInput } from './Point.js';
import { quoteExcerpt } from './quoteExcerpt.js';

/**
 * Largest accepted unix time in seconds (year 5138). Anything above can only be milliseconds
 * (`Date.now()` is about 1.7e12), which is refused instead of silently landing 1000× in the future.
 */
export const MAX_UNIX_SECONDS = 1e11;

// `(?=(X))\N` matches X atomically (a lookahead is not backtracked into): a failing match then
// costs one pass over a long fraction or run of spaces instead of retrying each shorter run.
// The language is the same, since a shorter run leaves a digit (or a space) that nothing after it
// can match.
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](?=(\d+))\7)?)?)?(?=(\s*))\8(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function fail(text: string, why: string): never {
  throw new ParseError(`invalid timestamp ${quoteExcerpt(text)}: ${why}`, { text });
}

function checkSeconds(seconds: number, text: string): number {
  if (!Number.isFinite(seconds)) fail(text, 'not a finite number');
  if (Math.abs(seconds) >= MAX_UNIX_SECONDS) {
    fail(text, 'looks like milliseconds; give unix seconds (e.g. Date.now() / 1000) or a Date');
  }
  return seconds;
}

function parseIso(text: string): number {
  const m = ISO.exec(text);
  if (!m) fail(text, 'expected unix seconds or ISO 8601 such as 2003-04-06T00:00:00Z');
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, , zone] = m;
  const whole = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +s);
  const check = new Date(whole);
  if (
    Number.isNaN(whole) ||
    check.getUTCMonth() !== +mo! - 1 ||
    check.getUTCDate() !== +d! ||
    check.getUTCHours() !== +h ||
    check.getUTCMinutes() !== +mi ||
    check.getUTCSeconds() !== +s
  ) {
    fail(text, 'not a real calendar date and time');
  }
  let seconds = whole / 1000 + (frac ? Number(`0.${frac}`) : 0);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2) || '0') * 60;
    seconds -= sign * offset;
  }
  return seconds;
}

/**
 * Converts a timestamp to unix seconds, as true UTC (ISO text without a zone is UTC, never local
 * time). Throws {@link ParseError} naming the input when it is not a time, not finite, or can only be
 * milliseconds.
 *
 * @example
 * ```ts
 * import { parseTime } from 'timetric';
 * parseTime('2003-04-06T00:00:00'); // 1049587200
 * parseTime(new Date(0));            // 0
 * ```
 */
export function parseTime(input: TimeInput): number {
  if (typeof input === 'number') return checkSeconds(input, String(input));
  if (input instanceof Date) return checkSeconds(input.getTime() / 1000, String(input));
  if (typeof input !== 'string') fail(String(input), 'expected a Date, a number or a string');
  const text = input.trim();
  if (text === '') fail(input, 'empty');
  if (isNumberText(text)) return checkSeconds(Number(text), text);
  return checkSeconds(parseIso(text), text);
}
