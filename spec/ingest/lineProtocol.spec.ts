// The line-protocol parser and timestamp conversion on their own: grammar, escapes, every
// precision, value kinds, caps, and errors naming the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/errors/ParseError.js';
import { seededRandom } from '../helpers/seededRandom.js';
import { InfluxBatch } from '../../src/server/influx/InfluxBatch.js';
import { influxPrecision, influxTimeToSeconds } from '../../src/server/influx/influxTime.js';
import { LineProtocolParser, type LineProtocolLimits } from '../../src/server/influx/LineProtocolParser.js';

const LIMITS: LineProtocolLimits = { maxLineChars: 1000, maxFieldsPerLine: 10, maxTagsPerLine: 5, maxKeyChars: 50, maxTagPairChars: 60 };

interface Row {
  measurement: string;
  tags: string;
  field: string;
  time: number | undefined;
  value: number | boolean;
}

function parse(text: string, precision: Parameters<typeof influxTimeToSeconds>[1] = 'ns', pieces = 1, limits = LIMITS): Row[] {
  const rows: Row[] = [];
  const parser = new LineProtocolParser(precision, limits, (s, field, time, value) =>
    rows.push({ measurement: s.measurement, tags: s.tags.map(([k, v]) => `${k}=${v}`).join('|'), field, time, value }),
  );
  const step = Math.ceil(text.length / pieces);
  for (let i = 0; i < text.length; i += step) parser.push(text.slice(i, i + step));
  parser.end();
  return rows;
}

function refused(text: string, line: number, pattern: RegExp, limits = LIMITS): void {
  assert.throws(
    () => parse(text, 'ns', 1, limits),
    (err: unknown) => err instanceof ParseError && err.line === line && pattern.test(err.message) && err.message.startsWith(`line ${line}: `),
  );
}

describe('influxTimeToSeconds', () => {
  it('moves the decimal point in the text for ns, us and ms, so the time is the double nearest the exact one', () => {
    assert.equal(influxTimeToSeconds('1700000000123456789', 'ns'), Number('1700000000.123456789'));
    assert.equal(influxTimeToSeconds('1700000000123456', 'us'), 1700000000.123456);
    assert.equal(influxTimeToSeconds('1700000000123', 'ms'), 1700000000.123);
    assert.equal(influxTimeToSeconds('1700000000', 's'), 1700000000);
    assert.equal(influxTimeToSeconds('28333333', 'm'), 28333333 * 60);
    assert.equal(influxTimeToSeconds('472222', 'h'), 472222 * 3600);
    assert.equal(influxTimeToSeconds('5', 'ns'), 5e-9);
    assert.equal(influxTimeToSeconds('-1500', 'ms'), -1.5);
    assert.equal(influxTimeToSeconds('0', 'ns'), 0);
    // 1000 ms timestamps whose quotient as doubles is not the nearest double to the decimal
    let exact = 0;
    for (let ms = 1_700_000_000_000; ms < 1_700_000_001_000; ms++) {
      const t = influxTimeToSeconds(String(ms), 'ms')!;
      assert.equal(t, Number((ms / 1000).toFixed(3)));
      if (t === ms / 1000) exact++;
    }
    assert.ok(exact > 0);
  });

  it('refuses what is not an integer of at most 19 digits, and times beyond ±1e11 s (a wrong precision)', () => {
    for (const bad of ['', '-', '1.5', '1e9', '12a', ' 1', '+1', '12345678901234567890']) assert.equal(influxTimeToSeconds(bad, 'ns'), undefined, bad);
    assert.equal(influxTimeToSeconds('1700000000123', 's'), undefined);
    assert.equal(influxTimeToSeconds('1700000000123456789', 'ms'), undefined);
  });

  it('reads every spelling of precision, and refuses others', () => {
    assert.deepEqual(
      [undefined, 'n', 'ns', 'u', 'us', 'µ', 'ms', 's', 'm', 'h'].map(influxPrecision),
      ['ns', 'ns', 'ns', 'us', 'us', 'us', 'ms', 's', 'm', 'h'],
    );
    assert.equal(influxPrecision('d'), undefined);
  });
});

describe('LineProtocolParser', () => {
  it('reads Telegraf-style lines: several tags and fields, sorted tags, every value kind', () => {
    const rows = parse('cpu,host=a,cpu=cpu0 usage_idle=99.5,usage_user=0.25,count=3i,big=18446744073709551615u,up=t,down=FALSE 1700000000000000000\n');
    assert.deepEqual(
      rows.map((r) => [r.measurement, r.tags, r.field, r.time, r.value]),
      [
        ['cpu', 'cpu=cpu0|host=a', 'usage_idle', 1700000000, 99.5],
        ['cpu', 'cpu=cpu0|host=a', 'usage_user', 1700000000, 0.25],
        ['cpu', 'cpu=cpu0|host=a', 'count', 1700000000, 3],
        ['cpu', 'cpu=cpu0|host=a', 'big', 1700000000, Number('18446744073709551615')],
        ['cpu', 'cpu=cpu0|host=a', 'up', 1700000000, true],
        ['cpu', 'cpu=cpu0|host=a', 'down', 1700000000, false],
      ],
    );
    for (const [text, v] of [['t', true], ['T', true], ['true', true], ['True', true], ['TRUE', true], ['f', false], ['F', false], ['false', false], ['False', false], ['-1.5e3', -1500], ['.5', 0.5], ['1.', 1], ['-7i', -7], ['+2', 2]] as const) {
      assert.equal(parse(`m v=${text}`)[0]!.value, v, text);
    }
  });

  it('unescapes spaces, commas and equals signs in measurements, tag keys, tag values and field keys', () => {
    const [row] = parse('disk\\ io\\,x,path=/var/lib\\ data,ke\\=y=a\\,b\\=c fi\\ el\\,d\\==1 10\n', 's');
    assert.deepEqual(row, { measurement: 'disk io,x', tags: 'ke=y=a,b=c|path=/var/lib data', field: 'fi el,d=', time: 10, value: 1 });
    // A backslash before anything else stays a backslash.
    assert.equal(parse('m,p=C:\\temp v=1')[0]!.tags, 'p=C:\\temp');
  });

  it('gives lines without a timestamp no time (the batch then uses the server time), and skips blanks, comments and CR', () => {
    const rows = parse('# comment\n\n   \nm v=1\r\nm v=2 \r\n');
    assert.deepEqual(rows.map((r) => [r.time, r.value]), [[undefined, 1], [undefined, 2]]);
  });

  it('parses the same however the text is cut into pushes', () => {
    const text = Array.from({ length: 200 }, (_, i) => `m\\ x,t=${i % 7} a=${i},b=${i}i ${1_000_000 + i}`).join('\n');
    const whole = parse(text, 'ms');
    assert.equal(whole.length, 400);
    for (const pieces of [2, 7, 100, text.length]) assert.deepEqual(parse(text, 'ms', pieces), whole);
  });

  it('reads values and timestamps digit by digit exactly as Number and the text path do (10,000 random cases)', () => {
    const random = seededRandom(13);
    const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
    const precisions = ['ns', 'us', 'ms', 's', 'm', 'h'] as const;
    const lines: string[] = [];
    const expected: [number, number][] = [];
    for (let k = 0; k < 10_000; k++) {
      const whole = digits(1 + Math.floor(random() * 12));
      const value = `${random() < 0.3 ? '-' : ''}${whole}${random() < 0.7 ? `.${digits(Math.floor(random() * 8))}` : ''}`;
      const precision = precisions[k % precisions.length]!;
      const width = { ns: 19, us: 16, ms: 13, s: 10, m: 8, h: 6 }[precision];
      const zeros = Math.floor(random() * 10);
      const ts = `1${digits(width - 1 - Math.min(zeros, width - 2))}${'0'.repeat(Math.min(zeros, width - 2))}`;
      lines.push(`${precision} v=${value} ${ts}`);
      expected.push([Number(value), influxTimeToSeconds(ts, precision)!]);
    }
    for (const precision of precisions) {
      const rows = parse(lines.filter((l) => l.startsWith(`${precision} `)).join('\n'), precision);
      const want = expected.filter((_, k) => precisions[k % precisions.length] === precision);
      assert.deepEqual(rows.map((r) => [r.value, r.time]), want, precision);
    }
  });

  it('does not take a field key for the previous line\'s when it only starts like it', () => {
    const rows = parse('m ab=1,c=2\nm a=3,cd=4\nm a\\=b=5\nm a=6\nm a=7,c=8,e=9\nm x=1 5\nm x=2');
    assert.deepEqual(rows.map((r) => `${r.field}=${String(r.value)}`), ['ab=1', 'c=2', 'a=3', 'cd=4', 'a=b=5', 'a=6', 'a=7', 'c=8', 'e=9', 'x=1', 'x=2']);
  });

  it('refuses malformed lines with their number and text', () => {
    refused('m v=1\nm v="text"\n', 2, /field "v" is a string; Timetric values are numbers/);
    refused('m v=1\nm\n', 2, /no fields/);
    refused('m v=1\n\nm v=1,w 5\n', 3, /a field must be key=value/);
    refused('m =1', 1, /a field must be key=value/);
    refused('m v=abc', 1, /invalid value "abc"/);
    refused('m v=1.5i', 1, /invalid integer/);
    refused('m v=-1u', 1, /invalid unsigned integer/);
    refused('m v=1e999', 1, /beyond the range of a double/);
    refused('m v=1 12:00', 1, /invalid timestamp "12:00"/);
    refused('m,t v=1', 1, /a tag must be key=value/);
    refused('m,t= v=1', 1, /a tag must be key=value/);
    refused('m,t=1,t=2 v=1', 1, /tag "t" given twice/);
    refused(',t=1 v=1', 1, /empty measurement/);
    refused('m,t=\0 v=1', 1, /NUL/);
  });

  it('enforces its caps: line length (also across pushes), fields, tags, key lengths', () => {
    refused(`m v=${'1'.repeat(1000)}`, 1, /longer than 1000 characters/);
    const parser = new LineProtocolParser('ns', LIMITS, () => undefined);
    parser.push('m v=1\n');
    assert.throws(() => {
      for (let i = 0; i < 100; i++) parser.push('1'.repeat(20));
    }, /line 2: longer than 1000 characters/);
    refused(`m ${Array.from({ length: 11 }, (_, i) => `f${i}=1`).join(',')}`, 1, /more than 10 fields/);
    refused(`m,${Array.from({ length: 6 }, (_, i) => `t${i}=1`).join(',')} v=1`, 1, /more than 5 tags/);
    refused(`${'m'.repeat(51)} v=1`, 1, /measurement longer than 50/);
    refused(`m ${'f'.repeat(51)}=1`, 1, /field key longer than 50/);
    refused(`m,t=${'v'.repeat(51)} v=1`, 1, /tag key or value longer than 50/);
    refused(`m,${'k'.repeat(30)}=${'v'.repeat(30)} v=1`, 1, /longer than 60 characters as key=value/);
    const few = new LineProtocolParser('ns', LIMITS, () => undefined, 2);
    assert.throws(() => few.push('a v=1\nb v=1\nc v=1\n'), /line 3: more than 2 distinct measurement and tag sets/);
  });

  it('is linear: 10 times the input takes about 10 times as long (no quadratic escape or line handling)', () => {
    const time = (lines: number): number => {
      const text = `${'cpu\\ x,host=a\\,b,r=w v=1.5,c=2i 1700000000000000000\n'.repeat(lines)}`;
      const best = [0, 1, 2].map(() => {
        const start = performance.now();
        parse(text, 'ns', 50);
        return performance.now() - start;
      });
      return Math.min(...best);
    };
    time(1_000);
    const small = time(4_000);
    const large = time(40_000);
    assert.ok(large < small * 10 * 4, `4,000 lines ${small.toFixed(1)} ms, 40,000 lines ${large.toFixed(1)} ms`);
  });

  it('is linear on hostile lines: long numbers, escapes, keys, timestamps, lines cut into tiny pushes', () => {
    // The same 256,000 characters as 32 lines of 8,000 or as 4 lines of 64,000: a linear parser
    // takes about as long for both, one quadratic in a line's length 8 times as long for the second.
    const wide: LineProtocolLimits = { maxLineChars: 100_000, maxFieldsPerLine: 100_000, maxTagsPerLine: 100_000, maxKeyChars: 100_000, maxTagPairChars: 200_000 };
    const shapes: Record<string, (chars: number) => string> = {
      'long float': (c) => `m v=${'1'.repeat(c - 5)}x`,
      'long float with a point': (c) => `m v=1.${'1'.repeat(c - 7)}x`,
      'long integer': (c) => `m v=${'1'.repeat(c - 6)}.i`,
      'long unsigned': (c) => `m v=${'1'.repeat(c - 6)}-u`,
      'escapes in a tag value': (c) => `m,t=${'\\ '.repeat((c - 10) / 2)} v=1`,
      'escapes in a field key': (c) => `m ${'\\,'.repeat((c - 6) / 2)}=1`,
      'many fields': (c) => `m ${'a=1,'.repeat((c - 2) / 4)}`,
      'many tags': (c) => `m${',t=1'.repeat((c - 6) / 4)} v=1`,
      'long timestamp': (c) => `m v=1 1${'0'.repeat(c - 7)}`,
      'trailing spaces': (c) => `m v=1${' '.repeat(c - 6)}1`,
    };
    const run = (text: string, piece: number): void => {
      const parser = new LineProtocolParser('ns', wide, () => undefined);
      try {
        for (let i = 0; i < text.length; i += piece) parser.push(text.slice(i, i + piece));
        parser.end();
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
      }
    };
    const best = (text: string, piece: number): number => {
      let min = Infinity;
      for (let k = 0; k < 5; k++) {
        const start = performance.now();
        for (const line of text.split('\n')) run(line, piece);
        min = Math.min(min, performance.now() - start);
      }
      return min;
    };
    for (const [name, shape] of Object.entries(shapes)) {
      const short = Array.from({ length: 32 }, () => shape(8_000)).join('\n');
      const long = Array.from({ length: 4 }, () => shape(64_000)).join('\n');
      for (const piece of [1 << 20, 100]) {
        best(short, piece);
        const a = Math.max(best(short, piece), 0.05);
        const b = best(long, piece);
        assert.ok(b < 3 * a, `${name} (pushes of ${piece}): 32 lines of 8,000 characters ${a.toFixed(2)} ms, 4 lines of 64,000 ${b.toFixed(2)} ms`);
      }
    }
  });
});

describe('InfluxBatch', () => {
  it('groups by database, measurement, tag set (whatever their order) and field; sorts, the last at a time winning; untimed lines take now', () => {
    const batch = new InfluxBatch('db', 99);
    const parser = new LineProtocolParser('s', LIMITS, batch.add);
    parser.push('m,a=1,b=2 v=1,w=t 5\nm,b=2,a=1 v=2 3\nm,a=1,b=2 v=3 5\nm,a=1,b=2 v=4\n');
    parser.end();
    const series = [...batch.series()];
    assert.deepEqual(
      series.map((s) => [s.field, Array.from(s.points.times), Array.from(s.points.values)]),
      [
        ['v', [3, 5, 99], [2, 3, 4]],
        ['w', [5], [true]],
      ],
    );
    assert.equal(series[0]!.key, JSON.stringify(['db', 'm', [['a', '1'], ['b', '2']], 'v']));
    assert.equal(batch.points, 5);
  });
});
