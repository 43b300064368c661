import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParseError } from '../../src/errors/ParseError.js';
import { parseTime } from '../../src/codec/parseTime.js';
import { formatIsoTime, formatUnixTime } from '../../src/codec/formatTime.js';

describe('parseTime', () => {
  it('reads unix seconds as numbers and text, with fractions', () => {
    assert.equal(parseTime(1236463646.39), 1236463646.39);
    assert.equal(parseTime('1236463646.39'), 1236463646.39);
    assert.equal(parseTime(' 0 '), 0);
    assert.equal(parseTime('-86400'), -86400);
  });

  it('reads ISO 8601 without a zone as UTC, never local time', () => {
    assert.equal(parseTime('2003-04-06T00:00:00'), 1049587200);
    assert.equal(parseTime('2003-04-06 00:00:00'), 1049587200);
    assert.equal(parseTime('2003-04-06'), 1049587200);
    assert.equal(parseTime('2003-04-06T00:00:00Z'), 1049587200);
  });

  it('applies explicit offsets and keeps sub-millisecond fractions', () => {
    assert.equal(parseTime('2003-04-06T02:00:00+02:00'), 1049587200);
    assert.equal(parseTime('2003-04-05T19:00:00-0500'), 1049587200);
    assert.equal(parseTime('2003-04-06T00:00:00.000250Z'), 1049587200.00025);
  });

  it('reads a Date as its true UTC instant', () => {
    assert.equal(parseTime(new Date(Date.UTC(2003, 3, 6))), 1049587200);
  });

  it('refuses milliseconds with an error that says so', () => {
    assert.throws(() => parseTime(1700000000000), (err: unknown) => err instanceof ParseError && /milliseconds/.test(err.message));
    assert.throws(() => parseTime('1700000000000'), /milliseconds/);
  });

  it('refuses what is not a time, naming the input', () => {
    for (const bad of ['', 'yesterday', 'NaN', 'Infinity', '2003-02-30T00:00:00', '2003-13-01', '12:00']) {
      assert.throws(() => parseTime(bad), (err: unknown) => err instanceof ParseError && err.text === bad, bad);
    }
    assert.throws(() => parseTime(Number.NaN), ParseError);
    assert.throws(() => parseTime(Number.POSITIVE_INFINITY), ParseError);
    assert.throws(() => parseTime(new Date(Number.NaN)), ParseError);
  });
});

describe('formatUnixTime / formatIsoTime', () => {
  it('writes the shortest unix text that reads back exactly', () => {
    assert.equal(formatUnixTime(1236463646.39), '1236463646.39');
    assert.equal(formatUnixTime(1049587200), '1049587200');
  });

  it('writes ISO 8601 UTC that parseTime reads back to the same second and fraction', () => {
    assert.equal(formatIsoTime(1049587200), '2003-04-06T00:00:00Z');
    assert.equal(formatIsoTime(1236463646.39), '2009-03-07T22:07:26.39Z');
    for (const t of [0, 1.5, 1049587200.00025, 1236463646.39, -1.25, 1999999999.999999]) {
      assert.ok(Math.abs(parseTime(formatIsoTime(t)) - t) < 1e-6, `${t} → ${formatIsoTime(t)}`);
    }
  });
});
