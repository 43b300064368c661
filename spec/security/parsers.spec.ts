// Hardening #11, finding 1 (unit side): the number grammar is read in one pass. The old regex
// backtracked quadratically on a long run of digits followed by a non-digit (15,000 digits: a
// quarter of a second; 200,000: a minute and a half). Here 1 MiB of adversarial text costs each
// parser < 50 ms, and the scanner accepts exactly the old regex's language (differential check).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvPointDecoder } from '../../src/codec/CsvPointDecoder.js';
import { isNumberText } from '../../src/codec/isNumberText.js';
import type { Point, PointValue } from '../../src/codec/Point.js';
import { parseTime } from '../../src/codec/parseTime.js';
import { parseValue } from '../../src/codec/parseValue.js';
import { ParseError } from '../../src/errors/ParseError.js';
import { bestOfMs } from '../helpers/bestOfMs.js';

/** The grammar as it was: the oracle for the differential checks (short inputs only!). */
const OLD_NUMERIC = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** parseValue as it was, on top of the old regex. */
function oldParseValue(text: string): PointValue | 'error' {
  const t = text.trim();
  if (OLD_NUMERIC.test(t) && Number.isFinite(Number(t))) return Number(t);
  const lower = t.toLowerCase();
  return lower === 'null' ? null : lower === 'true' ? true : lower === 'false' ? false : 'error';
}

/** The ISO 8601 regex as it was (its fraction and spaces backtracked): the oracle for parseTime. */
const OLD_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** parseTime of a non-numeric text as it was, on top of the old regex. */
function oldIsoSeconds(text: string): number | 'error' {
  const m = OLD_ISO.exec(text.trim());
  if (!m) return 'error';
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac, zone] = m;
  const whole = Date.UTC(+y!, +mo! - 1, +d!, +h, +mi, +sec);
  const c = new Date(whole);
  if (Number.isNaN(whole) || c.getUTCMonth() !== +mo! - 1 || c.getUTCDate() !== +d! || c.getUTCHours() !== +h || c.getUTCMinutes() !== +mi || c.getUTCSeconds() !== +sec) {
    return 'error';
  }
  let seconds = whole / 1000 + (frac ? Number(`0.${frac}`) : 0);
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    seconds -= (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2) || '0') * 60);
  }
  return Number.isFinite(seconds) && Math.abs(seconds) < 1e11 ? seconds : 'error';
}

function valueOrError(read: () => PointValue): PointValue | 'error' {
  try {
    return read();
  } catch (err) {
    assert.ok(err instanceof ParseError, String(err));
    return 'error';
  }
}

let seed = 11;
/** 0 … n-1 from the high bits of a linear congruential generator (its low bits cycle fast). */
const rnd = (n: number): number => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * n);
const pick = <T>(items: readonly T[]): T => items[rnd(items.length)]!;

const MiB = 1024 * 1024;
const nines = '9'.repeat(MiB);
/** 1 MiB runs of digits, each ending where the old regex had to backtrack. */
const ADVERSARIAL_NUMBERS: Record<string, string> = {
  'digits then x': `${nines}x`,
  'signed digits then x': `-${nines}x`,
  'digits, point, digits then x': `1.${nines}x`,
  'point, digits then x': `.${nines}x`,
  'exponent digits then x': `1e${nines}x`,
  'every part long then x': `+${nines.slice(0, MiB / 4)}.${nines.slice(0, MiB / 4)}e-${nines.slice(0, MiB / 2)}x`,
  'digits then a second point': `${nines}.5.`,
};
const ADVERSARIAL_TIMES: Record<string, string> = {
  ...ADVERSARIAL_NUMBERS,
  'ISO fraction digits then x': `2003-04-06T00:00:00.${nines}x`,
  'ISO date, spaces then x': `2003-04-06${' '.repeat(MiB)}x`,
  'ISO fraction digits, spaces then x': `2003-04-06T00:00:00.${nines.slice(0, MiB / 2)}${' '.repeat(MiB / 2)}x`,
};

describe('isNumberText: exactly the old regex, in one pass', () => {
  it('agrees with the old regex on every string of up to 5 characters over its alphabet', () => {
    const alphabet = ['0', '9', '.', 'e', 'E', '+', '-', 'x', ' '];
    let level = [''];
    let checked = 0;
    for (let length = 0; length <= 5; length++) {
      for (const s of level) {
        assert.equal(isNumberText(s), OLD_NUMERIC.test(s), JSON.stringify(s));
        checked++;
      }
      level = level.flatMap((s) => alphabet.map((c) => s + c));
    }
    assert.equal(checked, 66_430);
  });

  it('agrees with the old regex on 200,000 random strings of up to 24 characters', () => {
    // Non-ASCII digits and spaces too: \d without the u flag is [0-9] only.
    const alphabet = ['0', '1', '5', '9', '.', '.', 'e', 'E', '+', '-', 'x', ' ', '\t', '٣', '\u00a0', 'n', 'I'];
    let accepted = 0;
    for (let i = 0; i < 200_000; i++) {
      const s = Array.from({ length: rnd(25) }, () => alphabet[rnd(alphabet.length)]!).join('');
      const ok = isNumberText(s);
      assert.equal(ok, OLD_NUMERIC.test(s), JSON.stringify(s));
      if (ok) accepted++;
    }
    assert.ok(accepted > 1_000, `the sample reaches the accepted language too (${accepted})`);
  });

  it('agrees on long inputs built to backtrack (the regex is given at most 2,000 characters)', () => {
    for (const text of Object.values(ADVERSARIAL_NUMBERS)) {
      const short = text.length > 2_000 ? `${text.slice(0, 1_000)}${text.slice(-1_000)}` : text;
      assert.equal(isNumberText(short), OLD_NUMERIC.test(short), short.slice(-20));
    }
    assert.equal(isNumberText(nines), true);
    assert.equal(isNumberText(`${nines}.${nines}e+${nines}`), true);
  });
});

describe('parseValue, parseTime and CsvPointDecoder read the same as before', () => {
  // Inputs that look like numbers, with the corner cases of the grammar and of Number().
  const samples = (n: number): string[] => {
    const parts = ['', '0', '1', '7', '00', '123', '9007199254740993', '1797693134862315', '.', 'e', 'E', '+', '-', 'x', ' ', 'null', 'TRUE'];
    return Array.from({ length: n }, () => Array.from({ length: 1 + rnd(5) }, () => parts[rnd(parts.length)]!).join(''));
  };

  it('parseValue: the same value, or an error, as the old regex with Number() on 100,000 random inputs', () => {
    let numbers = 0;
    for (const s of samples(100_000)) {
      const expected = oldParseValue(s);
      assert.deepEqual(valueOrError(() => parseValue(s)), expected, JSON.stringify(s));
      if (typeof expected === 'number') numbers++;
    }
    assert.ok(numbers > 10_000, `the sample reaches numbers too (${numbers})`);
  });

  it('parseTime: the same unix seconds, or an error, on the numeric inputs', () => {
    for (const s of samples(100_000)) {
      const t = s.trim();
      const n = Number(t);
      const expected = OLD_NUMERIC.test(t) && Number.isFinite(n) && Math.abs(n) < 1e11 ? n : 'error';
      if (expected === 'error' && !OLD_NUMERIC.test(t)) continue; // not numeric: the ISO path, pinned in spec/codec
      assert.deepEqual(valueOrError(() => parseTime(s)), expected, JSON.stringify(s));
    }
  });

  it('parseTime: the same unix seconds, or an error, as the old ISO regex on 100,000 random ISO-like inputs', () => {
    // Well-formed pieces in order, each present or not, then sometimes one character changed.
    const iso = (): string =>
      pick(['2003-04-06', '1970-01-01', '2024-02-29', '2023-02-29', '2003-13-01']) +
      (rnd(4) ? `${pick(['T', ' ', 't'])}${pick(['00', '23', '24'])}:${pick(['00', '59', '60'])}` +
          (rnd(3) ? `:${pick(['00', '59', '60'])}${rnd(2) ? `${pick(['.', ','])}${pick(['5', '000250', '9999999999'])}` : ''}` : '')
        : '') +
      pick(['', '', ' ', '  ', '\t']) +
      pick(['', 'Z', 'z', '+02:00', '-05:00', '-0500', '+02', '-2', '+0230', '+02:3']);
    const alphabet = ['0', '9', ':', '-', '+', '.', ',', ' ', 'T', 'Z', 'x'];
    let valid = 0;
    let zoned = 0;
    for (let i = 0; i < 100_000; i++) {
      let text = iso();
      if (rnd(3) === 0) {
        const at = rnd(text.length + 1);
        text = text.slice(0, at) + (rnd(2) ? pick(alphabet) : '') + text.slice(at + rnd(2));
      }
      if (isNumberText(text.trim())) continue; // the numeric path, checked above
      const expected = oldIsoSeconds(text);
      assert.deepEqual(valueOrError(() => parseTime(text)), expected, JSON.stringify(text));
      if (expected !== 'error') valid++;
      if (expected !== 'error' && /[+-]\d\d:?\d*$/.test(text.trim())) zoned++;
    }
    assert.ok(valid > 10_000 && zoned > 1_000, `the sample reaches valid times, with offsets too (${valid}, ${zoned})`);
  });

  it('CsvPointDecoder: the same points, or an error on the same line, on 20,000 random values', () => {
    const values = samples(20_000).map((v) => v.replace(/^ +| +$/g, '').replace(/ /g, '') || '0');
    for (const [i, v] of values.entries()) {
      const expected = oldParseValue(v);
      const got = valueOrError(() => {
        const points: Point[] = new CsvPointDecoder().push(`${i},${v}\n`);
        assert.equal(points.length, 1);
        return points[0]![1];
      });
      assert.deepEqual(got, expected, JSON.stringify(v));
    }
  });
});

describe('1 MiB of adversarial input costs each parser < 50 ms (best of 5)', () => {
  const refuses = (read: () => unknown): string => {
    try {
      read();
    } catch (err) {
      assert.ok(err instanceof ParseError, String(err));
      assert.ok(err.message.length < 1_000, `the message quotes an excerpt, not the input (${err.message.length} characters)`);
      return err.message;
    }
    assert.fail('accepted adversarial input');
  };

  for (const [name, text] of Object.entries(ADVERSARIAL_NUMBERS)) {
    it(`parseValue: ${name}`, async () => {
      const result = refuses(() => parseValue(text));
      const ms = await bestOfMs(() => refuses(() => parseValue(text)));
      assert.match(result, /^invalid value ".{200}"… \(\d+ characters\): expected a finite number/);
      assert.ok(ms < 50, `parseValue took ${ms.toFixed(1)} ms`);
    });
  }

  for (const [name, text] of Object.entries(ADVERSARIAL_TIMES)) {
    it(`parseTime: ${name}`, async () => {
      const result = refuses(() => parseTime(text));
      const ms = await bestOfMs(() => refuses(() => parseTime(text)));
      assert.match(result, /^invalid timestamp ".{200}"… \(\d+ characters\): /);
      assert.ok(ms < 50, `parseTime took ${ms.toFixed(1)} ms`);
    });
  }

  // The default line cap (64 KiB) refuses these lines on length; raised, the fields reach the scanner.
  const roomy = { maxLineBytes: 4 * MiB };
  const lines: Record<string, string> = {};
  for (const [name, text] of Object.entries(ADVERSARIAL_NUMBERS)) lines[`value: ${name}`] = `1400000000,${text}\n`;
  for (const [name, text] of Object.entries(ADVERSARIAL_TIMES)) lines[`time: ${name}`] = `${text},1\n`;
  for (const [name, line] of Object.entries(lines)) {
    it(`CsvPointDecoder line, ${name}: in one push and in 64 KiB chunks`, async () => {
      const whole = () => refuses(() => new CsvPointDecoder(roomy).push(line));
      const chunked = () =>
        refuses(() => {
          const d = new CsvPointDecoder(roomy);
          for (let i = 0; i < line.length; i += 64 * 1024) d.push(line.slice(i, i + 64 * 1024));
          d.end();
        });
      assert.match(whole(), /^CSV line 1: invalid (value|timestamp)|^CSV line 1: timestamp is not unix seconds/);
      assert.equal(chunked(), whole());
      const wholeMs = await bestOfMs(whole);
      assert.ok(wholeMs < 50, `one push took ${wholeMs.toFixed(1)} ms`);
      const chunkedMs = await bestOfMs(chunked);
      assert.ok(chunkedMs < 50, `64 KiB pushes took ${chunkedMs.toFixed(1)} ms`);
    });
  }

  it('CsvPointDecoder with the default cap: 1 MiB lines fail on their length, at once', async () => {
    for (const line of Object.values(lines)) {
      const result = refuses(() => new CsvPointDecoder().push(line));
      const ms = await bestOfMs(() => refuses(() => new CsvPointDecoder().push(line)));
      assert.match(result, /^CSV line 1: longer than 65536 bytes/);
      assert.ok(ms < 50, `took ${ms.toFixed(1)} ms`);
    }
  });

  it('CsvPointDecoder: 64 MiB without a newline, in 64 KiB chunks, fails within the first two (was quadratic)', async () => {
    const chunk = '9,'.repeat(32 * 1024);
    const run = () => {
      const d = new CsvPointDecoder();
      let pushed = 0;
      const message = refuses(() => {
        for (; pushed < 1024; pushed++) d.push(chunk);
      });
      return { message, pushed };
    };
    const result = run();
    const ms = await bestOfMs(run);
    assert.match(result.message, /^CSV line 1: longer than 65536 bytes/);
    assert.equal(result.pushed, 1, 'the chunk that passes the limit throws');
    assert.ok(ms < 50, `took ${ms.toFixed(1)} ms`);
  });

  it('CsvPointDecoder: a line fed one character at a time is linear up to the cap', async () => {
    const run = () => {
      const d = new CsvPointDecoder();
      let pushed = 0;
      const message = refuses(() => {
        d.push('1400000000,');
        for (; pushed < 100_000; pushed++) d.push('9');
      });
      return { message, pushed };
    };
    const result = run();
    const ms = await bestOfMs(run);
    assert.match(result.message, /^CSV line 1: longer than 65536 bytes/);
    assert.equal(result.pushed, 65_536 - '1400000000,'.length);
    assert.ok(ms < 50, `took ${ms.toFixed(1)} ms`);
  });
});
