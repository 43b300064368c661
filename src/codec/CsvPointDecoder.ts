import { ParseError } from '../errors/ParseError.js';
import { isNumberText } from './isNumberText.js';
import type { Point, PointValue } from './Point.js';
import { MAX_UNIX_SECONDS, parseTime } from './parseTime.js';
import { parseValue } from './parseValue.js';
import { splitQuotedCsv } from './splitQuotedCsv.js';

/** Options of {@link CsvPointDecoder}; defaults in {@link DEFAULT_CSV_POINT_DECODER_OPTIONS}. */
export interface CsvPointDecoderOptions {
  /**
   * Longest line, UTF-8 bytes, not counting its `\n`. A longer line throws {@link ParseError} with
   * its line number as soon as it passes the limit, before its end has arrived, so a body that
   * never sends a newline costs at most this much memory and time. Default 65,536 (64 KiB); a
   * Timetric line is about 20 bytes.
   */
  maxLineBytes?: number;
  /**
   * Reads a line holding only a value (`21.5`, `null`) as a point at the time this returns (unix
   * seconds), called once per such line as it is read: `timetric push` stamps piped readings on
   * arrival. Default undefined: such a line is a ParseError (2 columns expected).
   */
  bareValueTime?: (() => number) | undefined;
}

/** Defaults of {@link CsvPointDecoderOptions}. */
export const DEFAULT_CSV_POINT_DECODER_OPTIONS = {
  maxLineBytes: 64 * 1024,
  bareValueTime: undefined,
} satisfies Required<CsvPointDecoderOptions>;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/** The numbers {@link readPlain} read last: time and value of a line. */
const line = new Float64Array(2);

/**
 * Reads the plain decimal (optional sign, at most 15 digits, at most one point) that starts at
 * `from` into `line[slot]`; returns the index just after it, or -1 when there is none there or it
 * has more digits. Read without a regex, a substring or a conversion call, each character once.
 * Exact: the digits form an integer below 2^53 and 10^k (k ≤ 15) is exact, so the one division is
 * correctly rounded: the same double as `Number()` of that text.
 */
function readPlain(text: string, from: number, slot: 0 | 1): number {
  let i = from;
  let c = text.charCodeAt(i);
  const negative = c === 45;
  if (negative || c === 43) c = text.charCodeAt(++i);
  let m = 0;
  let digits = 0;
  let point = -1;
  // charCodeAt past the end is NaN, which no test below accepts.
  for (;; c = text.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      // Stop at the 16th digit: a megabyte of digits is not walked twice.
      if (++digits > 15) return -1;
    } else if (c === 46 && point < 0) point = i;
    else break;
  }
  if (digits === 0) return -1;
  const x = point < 0 ? m : m / POW10[i - point - 1]!;
  line[slot] = negative ? -x : x;
  return i;
}

/** `text` as a number when it is all one plain decimal ({@link readPlain}), else NaN. */
function plainDecimal(text: string): number {
  return readPlain(text, 0, 0) === text.length ? line[0]! : NaN;
}

/**
 * Reads the line of `text` at `from` when it is `time,value`, both plain decimals and the time
 * within unix seconds: leaves them in `line` and returns the index of the line's `\n` (or the
 * text's length). Otherwise returns -1 and the line takes the general path.
 */
function plainLine(text: string, from: number): number {
  const comma = readPlain(text, from, 0);
  if (comma < 0 || text.charCodeAt(comma) !== 44 || !(Math.abs(line[0]!) < MAX_UNIX_SECONDS)) return -1;
  const end = readPlain(text, comma + 1, 1);
  return end < 0 || (end < text.length && text.charCodeAt(end) !== 10) ? -1 : end;
}

/** Whether `text[from, to)` is only white space (as `String.prototype.trim` counts it). */
function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    // ASCII space and controls first; anything else asks trim(), which knows Unicode spaces.
    if (c === 32 || (c >= 9 && c <= 13)) continue;
    if (c < 128) return false;
    return text.slice(from, to).trim() === '';
  }
  return true;
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
 * client reads downloads with the same code. Blocks holding a quote character are split by CSV's
 * quoting rules (as papaparse splits them); blocks without one by a faster path, same result.
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
  private readonly bareValueTime: (() => number) | undefined;
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
    this.bareValueTime = options.bareValueTime;
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
    const points: Point[] = [];
    // The lines are read where they are in `text`: joining the partial line to the chunk copied
    // the whole chunk (64 KiB a read of a file) only to complete one line. That line is joined alone.
    let start = 0;
    if (this.rest.length > 0) {
      const firstBreak = text.indexOf('\n');
      const head = text.slice(0, firstBreak);
      const room = this.maxLineBytes - this.restBytes;
      if (head.length > room || utf8Bytes(head, 0, head.length) > room) {
        throw this.tooLong((this.rest.length > 200 ? this.rest : this.rest + head.slice(0, 201)).slice(0, 201));
      }
      const first = this.rest + head;
      this.rest = '';
      this.restBytes = 0;
      this.parse(first, 0, first.length, points);
      if (firstBreak === lastBreak) {
        this.grow(text.slice(lastBreak + 1));
        return points;
      }
      start = firstBreak + 1;
    }
    const long = this.firstLongLine(text, start, lastBreak);
    if (long >= 0) {
      // The lines before it first, so that an earlier bad line is the one reported.
      if (long > start) this.parse(text, start, long - 1, points);
      throw this.tooLong(text.slice(long, Math.min(lastBreak, long + 201)));
    }
    this.parse(text, start, lastBreak, points);
    this.grow(text.slice(lastBreak + 1));
    return points;
  }

  /** Reads what is left (a last line without a line end). */
  end(): Point[] {
    if (this.ended) return [];
    this.ended = true;
    const input = this.rest;
    this.rest = '';
    return input.trim() === '' ? (input.length ? (this.lines++, []) : []) : this.parse(input, 0, input.length, []);
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
   * Where in `block[from, n)` (lines separated by `\n`) the first line over maxLineBytes starts, or -1.
   * Jumps a window of maxLineBytes / 3 units at a time (a line that short cannot be too long,
   * whatever its characters) to the last line end in it, and counts bytes only of longer lines.
   */
  private firstLongLine(block: string, from: number, n: number): number {
    const max = this.maxLineBytes;
    const step = Math.floor(max / 3);
    let start = from;
    while (n - start > step) {
      const lineEnd = block.lastIndexOf('\n', start + step);
      if (lineEnd >= start) {
        start = lineEnd + 1;
        continue;
      }
      let end = block.indexOf('\n', start);
      if (end < 0 || end > n) end = n;
      if (end - start > max || utf8Bytes(block, start, end) > max) return start;
      start = end + 1;
    }
    return -1;
  }

  /** The error for the line after the last one read, which is over maxLineBytes. */
  private tooLong(excerpt: string): ParseError {
    return lineError(this.lines + 1, excerpt, `longer than ${this.maxLineBytes} bytes (maxLineBytes)`);
  }

  /** Reads the lines of `block[from, n)` (`n` is a `\n` or the end) into `points`; returns `points`. */
  private parse(block: string, from: number, n: number, points: Point[]): Point[] {
    // The range is everything before a '\n', so even '' is one (empty) line; the splitter gives no row
    // for it, and line numbers would then depend on where the chunks were cut.
    if (from === n) {
      this.lines++;
      return points;
    }
    // Without a quote character a CSV line is its fields split at the commas, which is what
    // the quoted splitter does then too; reading them by hand avoids a string per field (1.3-3.4x the
    // points per CPU second, bench/csvDecoder.ts). A block holding a quote goes to splitQuotedCsv whole.
    const quote = block.indexOf('"', from);
    if (quote < 0 || quote >= n) this.parsePlain(block, from, n, points);
    else {
      // A range ends before a `\n` (or at the end of the text), so a `\r` last is a CRLF's: the
      // splitter, not seeing the `\n`, took it for text ('"5"\r' read as the value '5"\r') when a
      // chunk ended between the two.
      const to = block.charCodeAt(n - 1) === 13 ? n - 1 : n;
      this.parseQuoted(from === 0 && to === block.length ? block : block.slice(from, to), points);
    }
    return points;
  }

  /** The lines of a block without `"`: split at `\n` and `,` by hand, one pass over the text. */
  private parsePlain(block: string, from: number, n: number, points: Point[]): void {
    for (;;) {
      let to = plainLine(block, from);
      if (to >= 0) {
        this.lines++;
        points.push([line[0]!, line[1]!]);
      } else {
        to = this.otherLine(block, from, n, points);
      }
      if (to >= n) return;
      from = to + 1;
    }
  }

  /**
   * Reads the line of `block` at `from` that is not two plain decimals (a blank line, ISO time,
   * `null`, spaces, a wrong column count): adds its point to `points` or throws its ParseError.
   * Returns the index of its `\n` (or the block's length).
   */
  private otherLine(block: string, from: number, n: number, points: Point[]): number {
    // One scan finds the line end and the line's commas, so the work stays linear however many
    // commas or none a line holds.
    let comma = -1;
    let columns = 1;
    let to = from;
    for (; to < n; to++) {
      const c = block.charCodeAt(to);
      if (c === 10) break;
      if (c === 44) {
        if (comma < 0) comma = to;
        columns++;
      }
    }
    const number = ++this.lines;
    if (columns === 2) points.push(this.point(number, block.slice(from, comma), block.slice(comma + 1, to)));
    else if (columns === 1 && this.bareValueTime !== undefined && !isBlank(block, from, to)) points.push(this.bare(number, block.slice(from, to)));
    else if (columns !== 1 || !isBlank(block, from, to)) {
      throw lineError(number, block.slice(from, to), `expected 2 columns (timestamp,value), found ${columns}`);
    }
    return to;
  }

  /** The lines of a block holding a `"`: split by {@link splitQuotedCsv}, as papaparse splits them. */
  private parseQuoted(block: string, points: Point[]): void {
    const rows = splitQuotedCsv(block);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const number = ++this.lines;
      if (row.length === 1 && row[0]!.trim() === '') continue;
      if (row.length === 1 && this.bareValueTime !== undefined) {
        points.push(this.bare(number, row[0]!));
        continue;
      }
      if (row.length !== 2) {
        throw lineError(number, row.join(','), `expected 2 columns (timestamp,value), found ${row.length}`);
      }
      const a = row[0]!;
      const b = row[1]!;
      // Plain decimals (nearly every line) are read directly; the rest takes the general path.
      const t0 = plainDecimal(a);
      const v0 = plainDecimal(b);
      points.push(Math.abs(t0) < MAX_UNIX_SECONDS && v0 === v0 ? [t0, v0] : this.point(number, a, b));
    }
  }

  /** The point of a line holding only a value, at the time `bareValueTime` gives now. */
  private bare(line: number, text: string): Point {
    let value: PointValue;
    try {
      value = parseValue(text.trim());
    } catch (err) {
      throw lineError(line, text, (err as Error).message, err);
    }
    return [this.bareValueTime!(), value];
  }

  /** The point of line `line` from its two fields by the full grammar, or its ParseError. */
  private point(line: number, a: string, b: string): Point {
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
    return [time, value];
  }
}
