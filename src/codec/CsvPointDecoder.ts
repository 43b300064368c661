import Papa from 'papaparse';
import { ParseError } from '../errors/ParseError.js';
import type { Point, PointValue } from './Point.js';
import { MAX_UNIX_SECONDS, parseTime } from './parseTime.js';
import { parseValue } from './parseValue.js';

const NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function lineError(line: number, text: string, why: string, cause?: unknown): ParseError {
  return new ParseError(`CSV line ${line}: ${why}: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`, {
    line,
    text,
    cause,
  });
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `text[from, to)` as a number when it is a plain decimal — optional sign, at most 15 digits, at
 * most one point — else NaN. Exact: the digits make an integer below 2^53 and 10^k is exact, so
 * the one division is correctly rounded, the same double as `Number(text)`.
 */
function plainDecimal(text: string, from: number, to: number): number {
  let i = from;
  let c = text.charCodeAt(i);
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
    const points: Point[] = [];
    // Without quotes papaparse only splits at '\n' and ',': done here without an array per row.
    // Quoted fields (which may even span lines) go through papaparse.
    if (block.indexOf('"') >= 0) {
      const result = new Papa.Parser({ delimiter: ',', newline: '\n' }).parse(block, 0, false) as {
        data: string[][];
      };
      for (const row of result.data) {
        const line = ++this.lines;
        if (row.length === 1 && row[0]!.trim() === '') continue;
        if (row.length !== 2) {
          throw lineError(line, row.join(','), `expected 2 columns (timestamp,value), found ${row.length}`);
        }
        points.push(this.point(line, row[0]!, row[1]!));
      }
      return points;
    }
    // `block` is everything before a '\n', so even '' is one (empty) line.
    for (let at = 0; at <= block.length; ) {
      let eol = block.indexOf('\n', at);
      if (eol < 0) eol = block.length;
      const line = ++this.lines;
      const comma = block.indexOf(',', at);
      if (comma < 0 || comma > eol) {
        const text = block.slice(at, eol);
        if (text.trim() !== '') throw lineError(line, text, 'expected 2 columns (timestamp,value), found 1');
      } else {
        const more = block.indexOf(',', comma + 1);
        if (more >= 0 && more < eol) {
          const text = block.slice(at, eol);
          throw lineError(line, text, `expected 2 columns (timestamp,value), found ${text.split(',').length}`);
        }
        // Plain decimals are read in place; anything else (ISO times, literals, exponents, spaces)
        // and every error go through the general path.
        const time = plainDecimal(block, at, comma);
        const value = plainDecimal(block, comma + 1, block.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
        if (Math.abs(time) < MAX_UNIX_SECONDS && value === value) points.push([time, value]);
        else points.push(this.point(line, block.slice(at, comma), block.slice(comma + 1, eol)));
      }
      at = eol + 1;
    }
    return points;
  }

  /** The point of one line's two fields, or a {@link ParseError} naming the line. */
  private point(line: number, a: string, b: string): Point {
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
    if (NUMERIC.test(b) && Number.isFinite((value = +b))) return [time, value];
    const bt = b.trim();
    if (NUMERIC.test(bt) && Number.isFinite((value = +bt))) return [time, value];
    try {
      value = parseValue(bt);
    } catch (err) {
      throw lineError(line, `${a},${b}`, (err as Error).message, err);
    }
    return [time, value];
  }
}
