// decodeChunk into a scratch gives the same columns as a fresh decode, whatever was decoded into
// it before: longer and shorter chunks, integer and XOR codings, -0, literals, a chunk of literals only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeChunk, type ChunkScratch } from '../../src/codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../src/codec/chunk/encodeChunk.js';
import type { PointValue } from '../../src/codec/Point.js';

const chunk = (n: number, value: (i: number) => PointValue, step = 1, t0 = 1.7e9): Uint8Array =>
  encodeChunk(
    Array.from({ length: n }, (_, i) => t0 + i * step),
    Array.from({ length: n }, (_, i) => value(i)),
  );

describe('decodeChunk into a scratch', () => {
  it('gives what a fresh decode gives, chunk after chunk', () => {
    const chunks = [
      chunk(3600, (i) => Math.round(Math.sin(i) * 1000) / 100),
      chunk(10, (i) => (i % 3 === 0 ? -0 : i)),
      chunk(5000, (i) => Math.sin(i) * 1e-3, 0.37),
      chunk(7, (i) => (i === 2 ? null : i === 4 ? true : i / 4)),
      chunk(4, (i) => (i % 2 === 0 ? false : null)),
      chunk(1, () => -0),
      chunk(200, (i) => i * 1.5, 3, -5e8),
    ];
    const scratch: ChunkScratch = { times: new Float64Array(0), numbers: new Float64Array(0) };
    for (const [k, bytes] of chunks.entries()) {
      const fresh = decodeChunk(bytes);
      const reused = decodeChunk(bytes, {}, scratch);
      assert.equal(reused.times.length, fresh.times.length, `chunk ${k}: times`);
      assert.equal(reused.values.length, fresh.values.length, `chunk ${k}: values`);
      for (let i = 0; i < fresh.times.length; i++) {
        assert.ok(Object.is(reused.times[i], fresh.times[i]), `chunk ${k}, time ${i}`);
        assert.ok(Object.is(reused.values[i], fresh.values[i]), `chunk ${k}, value ${i}: ${String(reused.values[i])} vs ${String(fresh.values[i])}`);
      }
    }
    assert.ok(scratch.times.length >= 5000, 'the scratch grew to the longest chunk');
  });
});
