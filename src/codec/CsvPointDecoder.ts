import Papa from 'papaparse';
import { ParseError } from '../errors/ParseError.js';
import { isNumberText } from './isNumberText.js';
import type { Point, PointValue } from './Point.js';
import { MAX_UNIX_SECONDS, parseTime } from './parseTime.js';
import { parseValue } from './parseValue.js';

/** Options of {@link CsvPointDecoder}; defaults in {@link DEFAULT_CSV_POINT_DECODER_OPTIONS}. */
export interface CsvPointDecoderOptions {
  /**
   * Longest line, UTF-8 bytes, not counting its `\n`. A longer line throws {@link ParseError} with
   * its line number as soon as it passes the limit, before its end has arrived, so a body that
   * never sends a newline costs at most this much memory and time. Default 65,536 (64 KiB); a
   * Timetric line is about 20 bytes.
   */
  maxLineBytes?: number;
}

/** Defaults of {@link CsvPointDecoderOptions}. */
export const DEFAULT_CSV_POINT_DECODER_OPTIONS = {
  maxLineBytes: 64 * 1024,
} satisfies Required<CsvPointDecoderOptions>;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `text` as a number when it is a plain decimal (optional sign, at most 15 digits, at most one
 * point), else NaN. The field grammar's common case, read without a regex or a conversion call.
 * Exact: the digits form an integer below 2^53 and 10^k (k ≤ 15) is exact, so the one division is
 * correctly rounded: the same double as `Number(text)`.
 */
function plainDecimal(text: string): number {
  const to = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  const negative = c === 45;
  if (negative || c === 43) i++;
  let m = 0;
  let digits = 0;
  let point = -1;
  for (; i < to; i++) {
    c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      // Stop at the 16th digit: a megabyte of digits is not walked twice.
      if (++digits > 15) return NaN;
    } else if (c === 46 && point < 0) point = i;
    else return NaN;
  }
  if (digits === 0) return NaN;
  const x = point < 0 ? m : m / POW10[to - point - 1]!;
  return negative ? -x : x;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** UTF-8 length of `text[from, to)` (a surrogate pair counts 4). */
function utf8Bytes(text: string, from: number, to: number): number {
  const part = from === 0 && to === text.length ? text : text.slice(from, to);
  // CSV is ASCII, one byte a character: found out natively, counted only otherwise.
  if (!NON_ASCII.test(part)) return part.length;
  let bytes = part.length;
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

function lineError(line: number, text: string, why: string, cause?: unknown): ParseError {
  return new ParseError(`CSV line ${line}: ${why}: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`, {
    line,
    text,
    cause,
  });
}

/**
 * Incremental Timetric CSV reader: feed text in chunks of any size with {@link push}, get the
 * complete lines' points back at once, and call {@link end} after the last chunk for the rest.
 * Works the same in Node and browsers (no streams involved), so the server reads uploads and the
 * client reads downloads with the same code. Splitting and quoting are papaparse's.
 *
 * Lines are `timestamp,value` with optional spaces after the comma, `\n` or `\r\n` ends, no header;
 * empty lines are skipped. A bad line throws {@link ParseError} with its 1-based line number and
 * text; the points of earlier `push` calls have already been returned, nothing is lost. So does a
 * line over `maxLineBytes`, as soon as it is known to be too long. Linear in the input, however it
 * is cut into chunks.
 *
 * @example
 * ```ts
 * import { CsvPointDecoder } from 'timetric';
 * const decoder = new CsvPointDecoder();
 * decoder.push('1,2\n3,');  // [[1, 2]]
 * decoder.push('null\n');   // [[3, null]]
 * decoder.end();            // []
 * ```
 */
export class CsvPointDecoder {
  /** Number of lines fully read so far (including empty ones). */
  lines = 0;
  private readonly maxLineBytes: number;
  /** The partial line after the last `\n`, and its UTF-8 length (never over maxLineBytes). */
  private rest = '';
  private restBytes = 0;
  private started = false;
  private ended = false;

  /**
   * @param options See {@link CsvPointDecoderOptions}.
   * @throws RangeError when `maxLineBytes` is not a number ≥ 1 (`Infinity` turns the cap off).
   */
  constructor(options: CsvPointDecoderOptions = {}) {
    const max = options.maxLineBytes ?? DEFAULT_CSV_POINT_DECODER_OPTIONS.maxLineBytes;
    // NaN would compare false everywhere, which is no cap at all.
    if (!(max >= 1)) throw new RangeError(`CsvPointDecoder maxLineBytes must be a number of bytes ≥ 1, got ${String(max)}`);
    this.maxLineBytes = max;
  }

  /** Reads the complete lines of `rest + text`; keeps a trailing partial line for later. */
  push(text: string): Point[] {
    if (this.ended) throw new Error('CsvPointDecoder.push() after end()');
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // Only the new text is searched: searching `rest + text` again on every chunk was quadratic
    // in a line that never ends.
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak < 0) {
      this.grow(text);
      return [];
    }
    const block = this.rest + text.slice(0, lastBreak);
    this.rest = '';
    this.restBytes = 0;
    const long = this.firstLongLine(block);
    if (long >= 0) {
      // The lines before it first, so that an earlier bad line is the one reported.
      if (long > 0) this.parse(block.slice(0, long - 1));
      throw this.tooLong(block.slice(long, long + 201));
    }
    const points = this.parse(block);
    this.grow(text.slice(lastBreak + 1));
    return points;
  }

  /** Reads what is left (a last line without a line end). */
  end(): Point[] {
    if (this.ended) return [];
    this.ended = true;
    const input = this.rest;
    this.rest = '';
    return input.trim() === '' ? (input.length ? (this.lines++, []) : []) : this.parse(input);
  }

  /** Appends `text` (no `\n` in it) to the partial line, or throws if the line gets too long. */
  private grow(text: string): void {
    if (text.length === 0) return;
    const room = this.maxLineBytes - this.restBytes;
    // Each UTF-16 unit is at least one byte: too many units is too long without counting.
    const bytes = text.length > room ? Infinity : utf8Bytes(text, 0, text.length);
    if (bytes > room) throw this.tooLong(this.rest.length > 200 ? this.rest : this.rest + text.slice(0, 201));
    this.rest += text;
    this.restBytes += bytes;
  }

  /**
   * Where in `block` (lines separated by `\n`) the first line over maxLineBytes starts, or -1.
   * Jumps a window of maxLineBytes / 3 units at a time (a line that short cannot be too long,
   * whatever its characters) to the last line end in it, and counts bytes only of longer lines.
   */
  private firstLongLine(block: string): number {
    const max = this.maxLineBytes;
    const step = Math.floor(max / 3);
    const n = block.length;
    let start = 0;
    while (n - start > step) {
      const lineEnd = block.lastIndexOf('\n', start + step);
      if (lineEnd >= start) {
        start = lineEnd + 1;
        continue;
      }
      let end = block.indexOf('\n', start);
      if (end < 0) end = n;
      if (end - start > max || utf8Bytes(block, start, end) > max) return start;
      start = end + 1;
    }
    return -1;
  }

  /** The error for the line after the last one read, which is over maxLineBytes. */
  private tooLong(excerpt: string): ParseError {
    return lineError(this.lines + 1, excerpt, `longer than ${this.maxLineBytes} bytes (maxLineBytes)`);
  }

  private parse(block: string): Point[] {
    // `block` is everything before a '\n', so even '' is one (empty) line; papaparse gives no row
    // for it, and line numbers would then depend on where the chunks were cut.
    if (block === '') {
      this.lines++;
      return [];
    }
    const result = new Papa.Parser({ delimiter: ',', newline: '\n' }).parse(block, 0, false) as {
      data: string[][];
    };
    const rows = result.data;
    const points: Point[] = new Array<Point>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const line = ++this.lines;
      if (row.length === 1 && row[0]!.trim() === '') continue;
      if (row.length !== 2) {
        throw lineError(line, row.join(','), `expected 2 columns (timestamp,value), found ${row.length}`);
      }
      const a = row[0]!;
      const b = row[1]!;
      // Plain decimals (nearly every line) are read directly; the rest takes the general path.
      const t0 = plainDecimal(a);
      const v0 = plainDecimal(b);
      if (Math.abs(t0) < MAX_UNIX_SECONDS && v0 === v0) {
        points.push([t0, v0]);
        continue;
      }
      let time: number;
      if (isNumberText(a)) {
        time = +a;
        if (!(Math.abs(time) < MAX_UNIX_SECONDS)) {
          throw lineError(line, `${a},${b}`, 'timestamp is not unix seconds (too large or not finite)');
        }
      } else {
        try {
          time = parseTime(a);
        } catch (err) {
          throw lineError(line, `${a},${b}`, (err as Error).message, err);
        }
      }
      let value: PointValue;
      try {
        value = parseValue(b.trim());
      } catch (err) {
        throw lineError(line, `${a},${b}`, (err as Error).message, err);
      }
      points.push([time, value]);
    }
    return points;
  }
}
