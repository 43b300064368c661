import { ParseError } from '../../errors/ParseError.js';
import { influxTimeToSeconds, type InfluxPrecision } from './influxTime.js';

/** Caps of {@link LineProtocolParser}; each breach is a {@link ParseError} naming the line. */
export interface LineProtocolLimits {
  /** Longest line, characters (UTF-16 code units) without its newline. */
  maxLineChars: number;
  /** Most fields on one line. */
  maxFieldsPerLine: number;
  /** Most tags on one line. */
  maxTagsPerLine: number;
  /** Longest measurement, tag key, tag value or field key, characters, after unescaping. */
  maxKeyChars: number;
  /** Longest tag as `key=value` (the form it takes as a series tag), characters. */
  maxTagPairChars: number;
}

/** A line's measurement and tag set, unescaped, tags sorted by key: the same for every line that names it. */
export interface LineSeries {
  /** The measurement and tag set as written (escapes kept), e.g. `cpu,host=a`. */
  readonly raw: string;
  readonly measurement: string;
  /** `[key, value]` pairs sorted by key (then value), unescaped. */
  readonly tags: readonly (readonly [string, string])[];
}

/** Where parsed points go: one call per field of every line. */
export type LinePointSink = (series: LineSeries, field: string, time: number | undefined, value: number | boolean) => void;

const BACKSLASH = 92;
const SPACE = 32;
const COMMA = 44;
const EQUALS = 61;
const QUOTE = 34;
const TAB = 9;
const HASH = 35;
// Unambiguous, so a failed match backtracks in linear time: `\d+\.?\d*` split a long run of
// digits every possible way, quadratic (4 s for one 64,000-digit value).
const FLOAT = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;
const UNSIGNED = /^\+?\d+$/;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** Seconds per unit of the precisions whose timestamps are read as integers. */
const SUB_SECOND: Record<InfluxPrecision, number> = { ns: 1e9, us: 1e6, ms: 1e3, s: 1, m: 1 / 60, h: 1 / 3600 };

/**
 * `s[from, to)` as a plain decimal (`-12.345`: sign, at most 15 digits, one point) read digit by
 * digit, or NaN for anything else (exponents, suffixes, booleans, longer numbers), which the
 * general path reads. An integer mantissa below 2^53 divided by an exact power of ten is one
 * correctly rounded operation, so the result equals `Number(text)`.
 */
function plainDecimal(s: string, from: number, to: number): number {
  let i = from;
  const negative = s.charCodeAt(i) === 45;
  if (negative) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = -1;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && scale < 0) scale = 0;
    else return Number.NaN;
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  const v = scale > 0 ? mantissa / POW10[scale]! : mantissa;
  return negative ? -v : v;
}

/**
 * `s[from, to)` as a timestamp read digit by digit when that is exact: at most 15 significant
 * digits (a ns timestamp ending in 000 counts without them), one division by an exact power of
 * ten; NaN otherwise (the text path of influxTimeToSeconds then reads it).
 */
function plainTimestamp(s: string, from: number, to: number, precision: InfluxPrecision): number {
  let i = from;
  const negative = s.charCodeAt(i) === 45;
  if (negative) i++;
  let end = to;
  let divisor = SUB_SECOND[precision];
  // Trailing zeros of a sub-second time: fewer digits to read, the same value.
  while (divisor >= 10 && end - i > 15 && s.charCodeAt(end - 1) === 48) {
    end--;
    divisor /= 10;
  }
  if (end - i > 15 || end === i) return Number.NaN;
  let v = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  const seconds = divisor >= 1 ? v / divisor : v * (1 / divisor);
  if (!(seconds < 1e11)) return Number.NaN;
  return negative ? -seconds : seconds;
}

/** Removes line-protocol escapes: a backslash before any of `chars` stands for that character. */
function unescape(text: string, chars: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && chars.includes(text[i + 1]!)) {
      out += text[i + 1]!;
      i++;
    } else out += c;
  }
  return out;
}

/** Splits on `sep` outside escapes. */
function splitUnescaped(text: string, sep: number): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === sep) {
      parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts;
}

/** Index of the first `sep` outside escapes, or -1. */
function indexUnescaped(text: string, sep: number): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === sep) return i;
  }
  return -1;
}

/**
 * A streaming parser of InfluxDB line protocol: `push` text as it arrives, `end()` after the
 * last piece. Each field of each line is handed to the sink with the line's series (measurement
 * and tags, parsed once per distinct text and cached), the field key, the time in unix seconds
 * (undefined without a timestamp) and the value.
 *
 * The grammar is InfluxDB's: `measurement[,tag=value…] field=value[,field=value…] [timestamp]`;
 * backslash escapes commas and spaces in measurements, and commas, equals signs and spaces in tag
 * keys, tag values and field keys; floats (`1`, `-1.5e3`), integers (`12i`), unsigned integers
 * (`12u`) and booleans (`t`, `true`, `F`, `FALSE`, …) are accepted; a string field (`"…"`) is
 * refused, since Timetric values are numbers. Empty lines and `#` comments are skipped, and a
 * `\r` before the newline is dropped. Each character is looked at a bounded number of times, and
 * the text held between pushes is at most one line (`maxLineChars`).
 *
 * @example
 * ```ts
 * const parser = new LineProtocolParser('ms', limits, (series, field, time, value) => console.log(series.measurement, field, time, value));
 * parser.push('cpu,host=a usage=0.5,count=3i 1700000000000\n');
 * parser.end();
 * ```
 */
export class LineProtocolParser {
  /** Lines seen so far (the number of the line being parsed). */
  lines = 0;
  private carry = '';
  private readonly cache = new Map<string, LineSeries>();
  private readonly fieldKeys: string[] = [];
  /** The field keys of the line before as written (escapes kept), to spot repeats without a copy. */
  private readonly rawFieldKeys: string[] = [];
  private readonly fieldValues: (number | boolean)[] = [];

  /**
   * @param precision - Unit of the timestamps.
   * @param limits - Caps on lines, fields, tags and keys.
   * @param sink - Called once per field of every line.
   * @param maxSeries - Most distinct measurement + tag sets one parse may hold in its cache; more
   *   is a ParseError naming the line (it bounds the cache).
   */
  constructor(
    private readonly precision: InfluxPrecision,
    private readonly limits: LineProtocolLimits,
    private readonly sink: LinePointSink,
    private readonly maxSeries = Number.POSITIVE_INFINITY,
  ) {}

  /** Parses every complete line of `text` (with what was left of the previous push). */
  push(text: string): void {
    let from = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0 && this.carry.length > 0) {
      const joined = this.carry + text.slice(0, nl);
      this.carry = '';
      this.line(joined, 0, joined.length);
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    for (; nl >= 0; nl = text.indexOf('\n', from)) {
      this.line(text, from, nl);
      from = nl + 1;
    }
    if (from < text.length) {
      this.carry += text.slice(from);
      if (this.carry.length > this.limits.maxLineChars) {
        this.lines++;
        throw this.error(`longer than ${this.limits.maxLineChars} characters`, this.carry, 0, this.carry.length);
      }
    }
  }

  /** Parses the last line, if it had no newline. */
  end(): void {
    const rest = this.carry;
    this.carry = '';
    if (rest.length > 0) this.line(rest, 0, rest.length);
  }

  /** A ParseError naming the current line, quoting `s[from, to)` (cut to 200 characters). */
  private error(why: string, s: string, from: number, to: number): ParseError {
    const line = this.lines;
    const text = s.slice(from, Math.min(to, from + 201));
    return new ParseError(`line ${line}: ${why}: ${JSON.stringify(to - from > 200 ? `${text.slice(0, 200)}…` : text)}`, { line, text });
  }

  /**
   * Parses the line `s[from, to)` in place: no copy of the line; the measurement and tag set text
   * is cut out once (the cache key), field keys only when they differ from the previous line's,
   * plain decimal values and timestamps are read digit by digit.
   */
  private line(s: string, from: number, to: number): void {
    this.lines++;
    let n = to;
    if (n - from > this.limits.maxLineChars) throw this.error(`longer than ${this.limits.maxLineChars} characters`, s, from, n);
    if (n > from && s.charCodeAt(n - 1) === 13) n--;
    let i = from;
    while (i < n && (s.charCodeAt(i) === SPACE || s.charCodeAt(i) === TAB)) i++;
    if (i === n || s.charCodeAt(i) === HASH) return;
    // The measurement and tag set: up to the first unescaped space.
    const start = i;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === BACKSLASH) i++;
      else if (c === SPACE) break;
    }
    if (i >= n) throw this.error('no fields (expected measurement[,tag=value…] field=value… [timestamp])', s, from, n);
    const seriesText = s.slice(start, i);
    const series = this.cache.get(seriesText) ?? this.series(seriesText, s, from, n);
    while (i < n && s.charCodeAt(i) === SPACE) i++;
    // Fields: key=value pairs separated by commas, up to the next space.
    const keys = this.fieldKeys;
    const rawKeys = this.rawFieldKeys;
    const values = this.fieldValues;
    let count = 0;
    for (;;) {
      const keyStart = i;
      let key: string;
      const prior = rawKeys[count];
      if (prior !== undefined && keyStart + prior.length < n && s.charCodeAt(keyStart + prior.length) === EQUALS && s.startsWith(prior, keyStart)) {
        // The same raw key as this field of the line before (scanned then): the same key.
        key = keys[count]!;
        i = keyStart + prior.length;
      } else {
        for (; i < n; i++) {
          const c = s.charCodeAt(i);
          if (c === BACKSLASH) i++;
          else if (c === EQUALS || c === SPACE || c === COMMA) break;
        }
        if (i >= n || s.charCodeAt(i) !== EQUALS || i === keyStart) throw this.error('a field must be key=value', s, from, n);
        const raw = s.slice(keyStart, i);
        key = unescape(raw, ',= ');
        if (key.includes('\0')) throw this.error('NUL character in a field key', s, from, n);
        if (key.length > this.limits.maxKeyChars) throw this.error(`field key longer than ${this.limits.maxKeyChars} characters`, s, from, n);
        if (count === this.limits.maxFieldsPerLine) throw this.error(`more than ${this.limits.maxFieldsPerLine} fields`, s, from, n);
        rawKeys[count] = raw;
        keys[count] = key;
      }
      i++;
      if (s.charCodeAt(i) === QUOTE) throw this.error(`field ${JSON.stringify(key)} is a string; Timetric values are numbers or booleans`, s, from, n);
      const valueStart = i;
      while (i < n && s.charCodeAt(i) !== COMMA && s.charCodeAt(i) !== SPACE) i++;
      let value: number | boolean = plainDecimal(s, valueStart, i);
      if (Number.isNaN(value)) value = this.fieldValue(s.slice(valueStart, i), key, s, from, n);
      values[count++] = value;
      if (i >= n || s.charCodeAt(i) === SPACE) break;
      i++;
    }
    while (i < n && s.charCodeAt(i) === SPACE) i++;
    let time: number | undefined;
    if (i < n) {
      let end = n;
      while (s.charCodeAt(end - 1) === SPACE) end--;
      time = plainTimestamp(s, i, end, this.precision);
      if (Number.isNaN(time)) {
        const text = s.slice(i, end);
        time = influxTimeToSeconds(text, this.precision);
        if (time === undefined) throw this.error(`invalid timestamp ${JSON.stringify(text)} (an integer in ${this.precision}, within ±1e11 seconds of 1970)`, s, from, n);
      }
    }
    for (let f = 0; f < count; f++) {
      // The first of two fields with one key on a line gives way to the second, as in InfluxDB.
      this.sink(series, keys[f]!, time, values[f]!);
    }
  }

  private fieldValue(text: string, key: string, s: string, from: number, to: number): number | boolean {
    const last = text.charCodeAt(text.length - 1);
    let v: number;
    if (last === 105 /* i */) {
      const digits = text.slice(0, -1);
      if (!INTEGER.test(digits)) throw this.error(`field ${JSON.stringify(key)}: invalid integer ${JSON.stringify(text)}`, s, from, to);
      v = Number(digits);
    } else if (last === 117 /* u */) {
      const digits = text.slice(0, -1);
      if (!UNSIGNED.test(digits)) throw this.error(`field ${JSON.stringify(key)}: invalid unsigned integer ${JSON.stringify(text)}`, s, from, to);
      v = Number(digits);
    } else {
      switch (text) {
        case 't':
        case 'T':
        case 'true':
        case 'True':
        case 'TRUE':
          return true;
        case 'f':
        case 'F':
        case 'false':
        case 'False':
        case 'FALSE':
          return false;
      }
      if (!FLOAT.test(text)) throw this.error(`field ${JSON.stringify(key)}: invalid value ${JSON.stringify(text)}`, s, from, to);
      v = Number(text);
    }
    if (!Number.isFinite(v)) throw this.error(`field ${JSON.stringify(key)}: ${JSON.stringify(text)} is beyond the range of a double`, s, from, to);
    return v;
  }

  /** Parses a measurement + tag set text seen for the first time, and caches it. */
  private series(text: string, s: string, from: number, to: number): LineSeries {
    // PostgreSQL text cannot hold NUL.
    if (text.includes('\0')) throw this.error('NUL character in the measurement or tags', s, from, to);
    if (this.cache.size >= this.maxSeries) throw this.error(`more than ${this.maxSeries} distinct measurement and tag sets in one request`, s, from, to);
    const parts = splitUnescaped(text, COMMA);
    const measurement = unescape(parts[0]!, ', ');
    if (measurement.length === 0) throw this.error('empty measurement', s, from, to);
    if (measurement.length > this.limits.maxKeyChars) throw this.error(`measurement longer than ${this.limits.maxKeyChars} characters`, s, from, to);
    if (parts.length - 1 > this.limits.maxTagsPerLine) throw this.error(`more than ${this.limits.maxTagsPerLine} tags`, s, from, to);
    const tags: [string, string][] = [];
    for (let p = 1; p < parts.length; p++) {
      const part = parts[p]!;
      const eq = indexUnescaped(part, EQUALS);
      if (eq <= 0 || eq === part.length - 1) throw this.error(`a tag must be key=value, got ${JSON.stringify(part)}`, s, from, to);
      const key = unescape(part.slice(0, eq), ',= ');
      const value = unescape(part.slice(eq + 1), ',= ');
      if (key.length > this.limits.maxKeyChars || value.length > this.limits.maxKeyChars) {
        throw this.error(`tag key or value longer than ${this.limits.maxKeyChars} characters`, s, from, to);
      }
      if (key.length + 1 + value.length > this.limits.maxTagPairChars) {
        throw this.error(`tag ${JSON.stringify(`${key}=${value}`.slice(0, 50))}… longer than ${this.limits.maxTagPairChars} characters as key=value`, s, from, to);
      }
      tags.push([key, value]);
    }
    tags.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
    for (let t = 1; t < tags.length; t++) {
      if (tags[t]![0] === tags[t - 1]![0]) throw this.error(`tag ${JSON.stringify(tags[t]![0])} given twice`, s, from, to);
    }
    const series: LineSeries = { raw: text, measurement, tags };
    this.cache.set(text, series);
    return series;
  }
}
