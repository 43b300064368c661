import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvPointDecoder, DEFAULT_CSV_POINT_DECODER_OPTIONS } from '../../src/codec/CsvPointDecoder.js';
import { formatCsv } from '../../src/codec/formatCsv.js';
import { parseValue, checkValue } from '../../src/codec/parseValue.js';
import { ParseError } from '../../src/errors/ParseError.js';
import type { Point } from '../../src/codec/Point.js';

function decodeAll(text: string, chunk: number): Point[] {
  const d = new CsvPointDecoder();
  const out: Point[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...d.push(text.slice(i, i + chunk)));
  out.push(...d.end());
  return out;
}

describe('CsvPointDecoder', () => {
  const text = '\uFEFF1236463646.39,14\r\n1236463647, -2.0\n\n2003-04-06T00:00:00,NULL\n1236463649,true\n1236463650,False';
  const expected: Point[] = [
    [1236463646.39, 14],
    [1236463647, -2],
    [1049587200, null],
    [1236463649, true],
    [1236463650, false],
  ];

  it('reads every value kind, both line ends, spaces after the comma and a BOM', () => {
    assert.deepEqual(decodeAll(text, text.length), expected);
  });

  it('gives the same points whatever the chunk boundaries', () => {
    for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(decodeAll(text, size), expected, `chunk ${size}`);
  });

  it('returns complete lines at once and keeps a partial line for later', () => {
    const d = new CsvPointDecoder();
    assert.deepEqual(d.push('1,2\n3,'), [[1, 2]]);
    assert.deepEqual(d.push('4'), []);
    assert.deepEqual(d.end(), [[3, 4]]);
    assert.equal(d.lines, 2);
  });

  it('names the line number and text of a bad line, after returning the good ones before it', () => {
    const d = new CsvPointDecoder();
    assert.deepEqual(d.push('1,2\n2,3\n'), [[1, 2], [2, 3]]);
    assert.throws(
      () => d.push('\n4,oops\n'),
      (err: unknown) => err instanceof ParseError && err.line === 4 && err.text === '4,oops' && /line 4/.test(err.message),
    );
  });

  it('numbers lines the same whatever the chunk boundaries, empty lines included', () => {
    const input = '1,2\n\n3,x\n';
    for (let size = 1; size <= input.length; size++) {
      assert.throws(() => decodeAll(input, size), (err: unknown) => err instanceof ParseError && err.line === 3 && err.text === '3,x', `chunk ${size}`);
    }
  });

  it('reads lines without quotes exactly as the same lines quoted', () => {
    const times = ['1', '-2.5', '1e3', '.5', '+7', '2003-04-06T00:00:00', '1236463646.39', '12', '-0', '007', '1.', '-.5', '1236463646.390000001', '99999999999.9'];
    const values = ['1', '-2.5', ' 3', '1e3', '.5', '+7', '1236463646.39', 'null', 'TRUE', ' false', '0.1', '-0', '3\r', '123456789012345',
      '1234567890123456', '9007199254740993', '0.000000000000001', '1.7976931348623157', '+.5'];
    const lines: string[] = [];
    for (let i = 0; i < 5_000; i++) lines.push(i % 17 === 0 ? '' : `${times[i % times.length]!},${values[(i * 7) % values.length]!}`);
    const plain = lines.join('\n');
    const quoted = lines.map((l) => (l === '' ? l : l.split(',').map((f) => `"${f}"`).join(','))).join('\n');
    for (const size of [plain.length, 1000, 37]) assert.deepEqual(decodeAll(plain, size), decodeAll(quoted, size), `chunk ${size}`);
  });

  it('reads random plain decimals as Number() does', () => {
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const texts: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const digits = Array.from({ length: 1 + rnd(18) }, () => String(rnd(10))).join('');
      const cut = rnd(digits.length + 1);
      texts.push(`${['', '-', '+'][rnd(3)]!}${digits.slice(0, cut)}${cut < digits.length || rnd(2) ? '.' : ''}${digits.slice(cut)}`);
    }
    const points = new CsvPointDecoder().push(texts.map((v, i) => `${i},${v}\n`).join(''));
    assert.deepEqual(points.map(([, v]) => v), texts.map(Number));
  });

  it('reads plain decimals to the same doubles as Number(), at every length up to 15 digits and beyond', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const texts: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const digits = Array.from({ length: 1 + Math.floor(random() * 18) }, () => String(Math.floor(random() * 10))).join('');
      const cut = Math.floor(random() * (digits.length + 1));
      const sign = ['', '-', '+'][Math.floor(random() * 3)]!;
      texts.push(`${sign}${digits.slice(0, cut)}${random() < 0.8 ? '.' : ''}${digits.slice(cut)}`.replace(/^([+-]?)\.$/, '$10'));
    }
    const csv = texts.map((v, i) => `${i},${v}\n`).join('');
    const points = decodeAll(csv, csv.length);
    assert.deepEqual(points.map((p) => p[1]), texts.map((v) => Number(v)));
  });

  it('refuses wrong column counts, bad timestamps, NaN, Infinity and milliseconds', () => {
    const cases: [string, RegExp][] = [
      ['1,2,3\n', /expected 2 columns.*found 3/],
      ['"1",2,3\n', /expected 2 columns.*found 3/],
      ['12\n', /expected 2 columns/],
      ['soon,1\n', /invalid timestamp/],
      ['1,NaN\n', /invalid value/],
      ['1,Infinity\n', /invalid value/],
      ['1,\n', /invalid value/],
      ['1700000000000,1\n', /unix seconds/],
    ];
    for (const [input, why] of cases) {
      assert.throws(() => new CsvPointDecoder().push(input), (err: unknown) => err instanceof ParseError && err.line === 1 && why.test(err.message), input);
    }
  });

  it('round-trips formatCsv output in both time formats', () => {
    for (const format of ['unix', 'iso'] as const) {
      const points = decodeAll(formatCsv(expected, format), 5);
      assert.deepEqual(points.map(([, v]) => v), expected.map(([, v]) => v));
      points.forEach(([t], i) => assert.ok(Math.abs(t - expected[i]![0]) < 1e-6));
    }
    assert.equal(formatCsv([]), '');
    assert.equal(formatCsv([[1, null], [2, false]]), '1,null\n2,false\n');
  });
});

describe('CsvPointDecoder maxLineBytes', () => {
  /** Decodes `text` in chunks of `chunk` with the given cap; returns the points or the ParseError. */
  function decodeCapped(text: string, chunk: number, maxLineBytes: number): Point[] | ParseError {
    const d = new CsvPointDecoder({ maxLineBytes });
    const out: Point[] = [];
    try {
      for (let i = 0; i < text.length; i += chunk) out.push(...d.push(text.slice(i, i + chunk)));
      out.push(...d.end());
    } catch (err) {
      assert.ok(err instanceof ParseError, String(err));
      return err;
    }
    return out;
  }
  const chunks = [1, 2, 3, 7, 39, 40, 41, 100, 10_000];
  const tooLong = (line: number) => (r: Point[] | ParseError) =>
    r instanceof ParseError && r.line === line && new RegExp(`^CSV line ${line}: longer than 40 bytes \\(maxLineBytes\\)`).test(r.message);

  it('defaults to 64 KiB', () => {
    assert.equal(DEFAULT_CSV_POINT_DECODER_OPTIONS.maxLineBytes, 65_536);
    const line = (bytes: number) => `1,${' '.repeat(bytes - 3)}5`;
    assert.deepEqual(new CsvPointDecoder().push(`${line(65_536)}\n`), [[1, 5]]);
    assert.throws(() => new CsvPointDecoder().push(`${line(65_537)}\n`), (err: unknown) => err instanceof ParseError && err.line === 1 && /longer than 65536 bytes/.test(err.message));
  });

  it('reads a line of exactly maxLineBytes and refuses one byte more, naming it, whatever the chunks', () => {
    const ok = `1,${' '.repeat(37)}5`; // 40 bytes
    const input = `1,1\n\n${ok}\r\n2,2\n`; // the \r counts: 41 bytes on line 3
    for (const size of chunks) {
      assert.deepEqual(decodeCapped(`1,1\n\n${ok}\n2,2`, size, 40), [[1, 1], [1, 5], [2, 2]], `chunk ${size}`);
      assert.ok(tooLong(3)(decodeCapped(input, size, 40)), `chunk ${size}`);
      assert.ok(tooLong(3)(decodeCapped(`1,1\n\n${ok} `, size, 40)), `last line without a line end, chunk ${size}`);
    }
  });

  it('counts UTF-8 bytes, not characters', () => {
    // é is 2 bytes, € 3, 😀 4 (two UTF-16 units): within the cap such a line is an invalid value.
    for (const [text, bytes] of [['é', 2], ['€', 3], ['😀', 4]] as const) {
      const fits = `1,${text.repeat(Math.floor(38 / bytes))}`;
      const over = `1,${text.repeat(Math.floor(38 / bytes) + 1)}`;
      for (const size of chunks) {
        const r = decodeCapped(`${fits}\n`, size, 40);
        assert.ok(r instanceof ParseError && r.line === 1 && /invalid value/.test(r.message), `${text} fits, chunk ${size}`);
        assert.ok(tooLong(1)(decodeCapped(`${over}\n`, size, 40)), `${text} over, chunk ${size}`);
      }
    }
  });

  it('fails as soon as a line passes the limit, before its end arrives', () => {
    const d = new CsvPointDecoder({ maxLineBytes: 40 });
    assert.deepEqual(d.push('1,1\n2,'), [[1, 1]]);
    assert.deepEqual(d.push(' '.repeat(38)), []); // 40 bytes so far
    assert.throws(() => d.push('5'), (err: unknown) => err instanceof ParseError && err.line === 2 && err.text.startsWith('2,   '));
  });

  it('reports an earlier bad line before a later long one, and numbers the long one right', () => {
    const long = `3,${'9'.repeat(100)}`;
    for (const size of chunks) {
      const early = decodeCapped(`1,x\n2,2\n${long}\n`, size, 40);
      assert.ok(early instanceof ParseError && early.line === 1 && /invalid value "x"/.test(early.message), `chunk ${size}`);
      assert.ok(tooLong(3)(decodeCapped(`1,1\n2,2\n${long}\n4,4\n`, size, 40)), `chunk ${size}`);
    }
  });

  it('gives the same points, line count or error for random text cut at random places as read whole', () => {
    // Lines are read where they lie in each chunk, and the partial line before a chunk is joined
    // alone: every cut (mid-line, at a line end, a chunk of only line ends, a quote) reads the same.
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const kinds = ['1,2', '1.5,-3.25', '', '  ', '"4","5"', '2003-04-06T00:00:00, null', '6,true', '7', '8,x', '1,2,3', `9,${'1'.repeat(60)}`];
    const run = (parts: string[]): unknown => {
      const d = new CsvPointDecoder({ maxLineBytes: 50 });
      const out: Point[] = [];
      try {
        for (const p of parts) out.push(...d.push(p));
        out.push(...d.end());
      } catch (err) {
        // A long line is refused as soon as it is known to be long: its excerpt is what had come.
        return err instanceof ParseError ? `${err.line} ${/longer than/.test(err.message) ? err.message.split(': ')[0] : err.message}` : err;
      }
      return { out, lines: d.lines };
    };
    for (let trial = 0; trial < 400; trial++) {
      const lines = Array.from({ length: 1 + rnd(12) }, () => kinds[rnd(trial % 3 === 0 ? kinds.length : 7)]!);
      const text = lines.join(rnd(2) ? '\n' : '\r\n') + (rnd(2) ? '\n' : '');
      const parts: string[] = [];
      for (let i = 0; i < text.length; ) {
        const size = 1 + rnd(12);
        parts.push(text.slice(i, i + size));
        i += size;
      }
      assert.deepEqual(run(parts), run([text]), JSON.stringify(parts));
    }
  });

  it('reads random lines without quotes as papaparse splits them: the same points, or the same error', () => {
    // A block holding a quote goes to papaparse; one without is split by hand. Each random block
    // is read both ways (a last line "0","0" or 0,0 decides which) and must agree exactly.
    const seeded = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const rnd = seeded(11);
    const pieces = ['1', '23', '0', '9', '.', '-', '+', ',', ' ', '\t', '\r', 'e', 'null', 'TRUE', 'x', '\u00a0', '1500000000', '99999999999', '123456789012345', '6'];
    const outcome = (text: string): unknown => {
      try {
        return new CsvPointDecoder().push(text);
      } catch (err) {
        return err instanceof ParseError ? { line: err.line, text: err.text, message: err.message } : err;
      }
    };
    for (let block = 0; block < 3_000; block++) {
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
        Array.from({ length: Math.floor(rnd() * 7) }, () => pieces[Math.floor(rnd() * pieces.length)]!).join(''),
      );
      const plain = outcome(`${lines.join('\n')}\n0,0\n`);
      const quoted = outcome(`${lines.join('\n')}\n"0","0"\n`);
      assert.deepEqual(plain, quoted, JSON.stringify(lines));
    }
  });

  it('names the column count of a line split by hand, and skips blank lines of any white space', () => {
    assert.throws(
      () => new CsvPointDecoder().push('1,2\n \t\u00a0\r\n3,4,5\n'),
      (err: unknown) => err instanceof ParseError && err.line === 3 && err.text === '3,4,5' && /found 3/.test(err.message),
    );
    assert.deepEqual(new CsvPointDecoder().push('1,2\n \t\u00a0\r\n-0,+.5\n'), [[1, 2], [-0, 0.5]]);
  });

  it('with bareValueTime, reads a line holding only a value as a point at the time it gives, quoted or not', () => {
    let t = 100;
    const d = new CsvPointDecoder({ bareValueTime: () => ++t });
    assert.deepEqual(d.push('21.5\n1,2\n null\n'), [[101, 21.5], [1, 2], [102, null]]);
    assert.deepEqual(d.push('"7"\n\n'), [[103, 7]], 'a blank line is still skipped');
    assert.throws(() => d.push('warm\n'), (err: unknown) => err instanceof ParseError && err.line === 6 && err.text === 'warm');
    assert.throws(() => new CsvPointDecoder().push('21.5\n'), /expected 2 columns \(timestamp,value\), found 1/, 'off by default');
  });

  it('refuses a cap that is no cap (NaN, 0, negative); Infinity turns it off', () => {
    for (const bad of [Number.NaN, 0, -1]) assert.throws(() => new CsvPointDecoder({ maxLineBytes: bad }), RangeError, String(bad));
    assert.deepEqual(new CsvPointDecoder({ maxLineBytes: Infinity }).push(`1,${' '.repeat(100_000)}2\n`), [[1, 2]]);
  });

  it('quotes an excerpt of the long line, not the line', () => {
    const r = decodeCapped(`1,${'9'.repeat(100_000)}`, 100_000, 65_536);
    assert.ok(r instanceof ParseError);
    assert.ok(r.message.length < 300, r.message);
    assert.equal(r.text.length, 201);
  });
});

describe('parseValue / checkValue', () => {
  it('reads Python str() numbers and the literals in any case', () => {
    assert.equal(parseValue('10.0'), 10);
    assert.equal(parseValue('-2.0'), -2);
    assert.equal(parseValue('1e3'), 1000);
    assert.equal(parseValue('TRUE'), true);
    assert.equal(parseValue('Null'), null);
  });

  it('refuses hex, NaN, Infinity and non-values', () => {
    for (const bad of ['0x10', 'NaN', '-Infinity', 'abc', '']) assert.throws(() => parseValue(bad), ParseError, bad);
    assert.throws(() => checkValue(Number.NaN), ParseError);
    assert.throws(() => checkValue({}), ParseError);
    assert.equal(checkValue(false), false);
  });
});
