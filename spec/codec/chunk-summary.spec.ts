// summarizeChunk gives what a chunk row carries: start and end time, count, min/max/sum over the
// numeric values only (null when there are none), and the first and last point as given.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkCodecError } from '../../src/codec/chunk/ChunkCodecError.js';
import { decodeChunk } from '../../src/codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../src/codec/chunk/encodeChunk.js';
import { summarizeChunk } from '../../src/codec/chunk/summarizeChunk.js';

describe('summarizeChunk', () => {
  it('summarises numbers and skips the literals', () => {
    assert.deepEqual(summarizeChunk([10, 11, 12, 13], [2.5, null, -1, true]), {
      start: 10,
      end: 13,
      count: 4,
      min: -1,
      max: 2.5,
      sum: 1.5,
      numbers: 2,
      minTime: 12,
      maxTime: 10,
      first: [10, 2.5],
      last: [13, true],
    });
  });

  it('gives the time of the first point holding the min and the max, -0 and +0 told apart', () => {
    const s = summarizeChunk([1, 2, 3, 4, 5, 6], [3, -1, 7, -1, 7, null]);
    assert.deepEqual([s.minTime, s.maxTime, s.numbers], [2, 3, 5]);
    const z = summarizeChunk([1, 2, 3, 4], [0, -0, 0, -0]);
    assert.ok(Object.is(z.min, -0) && Object.is(z.max, 0));
    assert.deepEqual([z.minTime, z.maxTime], [2, 1]);
    const neg = summarizeChunk([1, 2, 3], [-0, 0, -0]);
    assert.deepEqual([neg.minTime, neg.maxTime], [1, 2]);
    const one = summarizeChunk([-7.25], [42]);
    assert.deepEqual([one.min, one.max, one.minTime, one.maxTime, one.numbers], [42, 42, -7.25, -7.25, 1]);
    assert.deepEqual([summarizeChunk([1, 2], [true, false]).numbers, summarizeChunk([1, 2], [true, false]).minTime], [0, null]);
  });

  it('has null min, max and sum when no value is a number', () => {
    assert.deepEqual(summarizeChunk([-5.5], [null]), {
      start: -5.5,
      end: -5.5,
      count: 1,
      min: null,
      max: null,
      sum: null,
      numbers: 0,
      minTime: null,
      maxTime: null,
      first: [-5.5, null],
      last: [-5.5, null],
    });
    const s = summarizeChunk([1, 2, 3], [false, true, null]);
    assert.equal(s.min, null);
    assert.deepEqual(s.last, [3, null]);
  });

  it('orders -0 below +0 as Math.min does, and adds in time order', () => {
    const s = summarizeChunk([1, 2, 3], [0, -0, 5e-324]);
    assert.ok(Object.is(s.min, -0));
    assert.equal(s.max, 5e-324);
    assert.equal(summarizeChunk([1, 2, 3], [1e308, 1e308, -1e308]).sum, Infinity);
    assert.equal(summarizeChunk([1, 2, 3], [0.1, 0.2, 0.3]).sum, 0.1 + 0.2 + 0.3);
  });

  it('is the same from a decoded chunk as from its points', () => {
    const times = Array.from({ length: 1000 }, (_, i) => 1_500_000_000 + i * 0.5);
    const values = times.map((_, i) => (i % 9 === 0 ? null : i % 4 === 0 ? Math.PI * i : (i % 200) / 8));
    const back = decodeChunk(encodeChunk(times, values));
    assert.deepEqual(summarizeChunk(back.times, back.values), summarizeChunk(times, values));
  });

  it('refuses no points and columns of different lengths', () => {
    assert.throws(() => summarizeChunk([], []), ChunkCodecError);
    assert.throws(() => summarizeChunk([1, 2], [1]), /2 times and 1 values/);
  });
});
