import Papa from 'papaparse';
import { ParseError } from '../errors/ParseError.js';
import type { Point, PointValue } from './Point.js';
import { MAX_UNIX_SECONDS, parseTime } from './parseTime.js';
import { parseValue } from './parseValue.js';

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

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
      digits++;
    } else if (c === 46 && point < 0) point = i;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const x = point < 0 ? m : m / POW10[to - point - 1]!;
  return negative ? -x : x;
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
 * text; the points of earlier `push` calls have already been returned, nothing is lost.
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
  private rest = '';
  private started = false;
  private ended = false;

  /** Reads the complete lines of `rest + text`; keeps a trailing partial line for later. */
  push(text: string): Point[] {
    if (this.ended) throw new Error('CsvPointDecoder.push() after end()');
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const input = this.rest + text;
    const lastBreak = input.lastIndexOf('\n');
    if (lastBreak < 0) {
      this.rest = input;
      return [];
    }
    this.rest = input.slice(lastBreak + 1);
    return this.parse(input.slice(0, lastBreak));
  }

  /** Reads what is left (a last line without a line end). */
  end(): Point[] {
    if (this.ended) return [];
    this.ended = true;
    const input = this.rest;
    this.rest = '';
    return input.trim() === '' ? (input.length ? (this.lines++, []) : []) : this.parse(input);
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
      if (NUMERIC.test(a)) {
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
      const bt = b.trim();
      if (NUMERIC.test(bt) && Number.isFinite((value = +bt))) {
        // fast path: plain number
      } else {
        try {
          value = parseValue(bt);
        } catch (err) {
          throw lineError(line, `${a},${b}`, (err as Error).message, err);
        }
      }
      points.push([time, value]);
    }
    return points;
  }
}
