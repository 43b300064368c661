import { MAX_UNIX_SECONDS } from '../../codec/parseTime.js';

/** The time units a line-protocol timestamp may be in. */
export type InfluxPrecision = 'ns' | 'us' | 'ms' | 's' | 'm' | 'h';

/** Decimal places a timestamp of each sub-second precision carries. */
const SCALE: Partial<Record<InfluxPrecision, number>> = { ns: 9, us: 6, ms: 3 };
const ZEROS = '000000000';

/**
 * The `precision` query parameter as a unit: the 1.x spellings (`n`, `u`, `ms`, `s`, `m`, `h`),
 * the 2.x ones (`ns`, `us`, `ms`, `s`) and `µ`; absent → nanoseconds, as in InfluxDB.
 *
 * @param text - The parameter as sent, or undefined.
 * @returns The unit, or undefined for an unknown spelling (the caller answers 400).
 */
export function influxPrecision(text: string | undefined): InfluxPrecision | undefined {
  switch (text) {
    case undefined:
    case '':
    case 'n':
    case 'ns':
      return 'ns';
    case 'u':
    case 'us':
    case 'µ':
    case 'µs':
      return 'us';
    case 'ms':
      return 'ms';
    case 's':
      return 's';
    case 'm':
      return 'm';
    case 'h':
      return 'h';
    default:
      return undefined;
  }
}

/**
 * A line-protocol timestamp (an integer of at most 19 digits, optionally negative) as unix
 * seconds. Sub-second units are converted by moving the decimal point in the text, then reading
 * the decimal with `Number`, so the result is the double nearest the exact time (dividing a
 * double by 1e9 would round twice). A double keeps about 16 significant digits: for present-day
 * times that is about a quarter of a microsecond.
 *
 * @param text - Digits, with an optional leading `-`.
 * @param precision - The unit of `text`.
 * @returns Unix seconds, or undefined when `text` is not such an integer or lies beyond year 5138
 *   either way (usually a wrong `precision`).
 */
export function influxTimeToSeconds(text: string, precision: InfluxPrecision): number | undefined {
  const negative = text.charCodeAt(0) === 45; /* - */
  const digits = negative ? text.slice(1) : text;
  if (digits.length === 0 || digits.length > 19) return undefined;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const scale = SCALE[precision];
  let seconds: number;
  if (scale === undefined) {
    seconds = Number(digits) * (precision === 'h' ? 3600 : precision === 'm' ? 60 : 1);
  } else {
    const padded = digits.length > scale ? digits : ZEROS.slice(0, scale + 1 - digits.length) + digits;
    seconds = Number(`${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`);
  }
  if (!(seconds < MAX_UNIX_SECONDS)) return undefined;
  return negative ? -seconds : seconds;
}
