// The chunk codec refuses what cannot be a chunk with a ChunkCodecError naming the problem: bad
// points on encode (with their index), and on decode bytes it did not write — every truncation,
// bytes left over, unknown versions and encodings, counts above maxPoints (before allocating),
// and random damage, which either decodes to valid points or fails with ChunkCodecError, never
// with another error and never slowly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkCodecError } from '../../src/codec/chunk/ChunkCodecError.js';
import { DEFAULT_CHUNK_CODEC_OPTIONS } from '../../src/codec/chunk/chunkCodecOptions.js';
import { decodeChunk } from '../../src/codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../src/codec/chunk/encodeChunk.js';
import type { PointValue } from '../../src/codec/Point.js';
import { TimetricError } from '../../src/errors/TimetricError.js';

const refuses = (fn: () => unknown, message: RegExp): void => {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ChunkCodecError, `not a ChunkCodecError: ${String(err)}`);
    assert.ok(err instanceof TimetricError);
    assert.equal(err.name, 'ChunkCodecError');
    assert.match(err.message, message);
    return true;
  });
};

/** Chunks covering every encoding: decimal, XOR and raw times and values, kinds as runs and as bits, -0 runs. */
const n = 300;
const bits = new DataView(new ArrayBuffer(8));
/** A finite double of pseudo-random bits (XOR cannot shrink these: they go raw). */
const randomBits = (i: number): number => {
  bits.setUint32(0, (Math.imul(i + 1, 0x9e3779b1) ^ 0x5bd1e995) & 0x7fefffff);
  bits.setUint32(4, Math.imul(i + 7, 0x85ebca6b) >>> 0);
  return bits.getFloat64(0);
};
const range = <T>(f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));
const SAMPLES: [string, number[], PointValue[]][] = [
  ['decimal times and values', range((i) => 1_500_000_000 + i), range((i) => ((i * 37) % 1000) / 100)],
  ['jittered millisecond times, counter', range((i) => 1_500_000_000 + i + ((i * 7) % 10) / 1000), range((i) => i * 3)],
  ['drifting intervals (deltas of deltas)', range((i) => (i * (i + 1)) / 2), range(() => 1)],
  ['XOR times and values', range((i) => 1_500_000_000 + i * Math.PI), range((i) => Math.sin(i))],
  ['kinds as runs, -0 among decimals', range((i) => i), range((i) => (i < 100 ? null : i % 3 ? -0 : i / 4))],
  ['kinds as bits', range((i) => i), range((i) => [true, false, null, 1.5][i % 4]!)],
  ['one point', [1e9], [null]],
  ['raw times and values (random bit patterns)', range((i) => 2 ** 40 * (1 + i) + Math.sin(i)), range((i) => randomBits(i))],
  ['long runs', range((i) => i * 2), range((i) => (i < 250 ? 0.1 + 0.2 : 7))],
];

describe('chunk codec errors', () => {
  it('refuses points that cannot be a chunk, naming the index', () => {
    refuses(() => encodeChunk([], []), /no points/);
    refuses(() => encodeChunk([1, 2], [1]), /2 times but 1 values/);
    refuses(() => encodeChunk([1, 2, 2], [1, 2, 3]), /time 2 \(2\) is not after time 1 \(2\).*strictly increasing/);
    refuses(() => encodeChunk([1, 3, 2], [1, 2, 3]), /time 2 \(2\) is not after time 1 \(3\)/);
    refuses(() => encodeChunk([NaN, 1], [1, 2]), /time 0 is NaN, not a finite number/);
    refuses(() => encodeChunk([1, NaN], [1, 2]), /time 1 \(NaN\) is not after/);
    refuses(() => encodeChunk([-Infinity, 1], [1, 2]), /time 0 is -Infinity/);
    refuses(() => encodeChunk([1, Infinity], [1, 2]), /time 1 is Infinity, not a finite number/);
    refuses(() => encodeChunk([1, '2' as unknown as number], [1, 2]), /time 1 is "2", not a number/);
    refuses(() => encodeChunk([1, 2, 3], [1, NaN, 3]), /value 1 is NaN: expected a finite number, null, true or false/);
    refuses(() => encodeChunk([1, 2], [Infinity, 3]), /value 0 is Infinity/);
    refuses(() => encodeChunk([1, 2], [1, undefined as unknown as PointValue]), /value 1 is undefined/);
    refuses(() => encodeChunk([1, 2], [1, '2' as unknown as PointValue]), /value 1 is "2"/);
    refuses(() => encodeChunk([1], [{} as unknown as PointValue]), /value 0 is \[object Object\]/);
  });

  it('refuses more than maxPoints points on encode and on decode', () => {
    assert.equal(DEFAULT_CHUNK_CODEC_OPTIONS.maxPoints, 131_072);
    const times = Array.from({ length: 11 }, (_, i) => i);
    refuses(() => encodeChunk(times, times, { maxPoints: 10 }), /11 points, more than maxPoints \(10\)/);
    const bytes = encodeChunk(times, times);
    refuses(() => decodeChunk(bytes, { maxPoints: 10 }), /corrupt chunk: 11 points \(from 1 to maxPoints, 10\)/);
    const big = Array.from({ length: 131_073 }, (_, i) => i);
    refuses(() => encodeChunk(big, big), /131073 points, more than maxPoints \(131072\)/);
    assert.equal(decodeChunk(encodeChunk(big, big, { maxPoints: 131_073 }), { maxPoints: 131_073 }).times.length, 131_073);
    // A header claiming 2^40 points is refused before anything is allocated.
    refuses(() => decodeChunk(Uint8Array.of(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x00)), /corrupt chunk: 1099511627776 points/);
    refuses(() => decodeChunk(Uint8Array.of(1, 0)), /corrupt chunk: 0 points/);
  });

  it('refuses empty input, unknown versions and encodings, and bytes left over', () => {
    const good = encodeChunk([1, 2, 3], [0.5, null, true]);
    refuses(() => decodeChunk(new Uint8Array(0)), /corrupt chunk: truncated version at byte 0/);
    refuses(() => decodeChunk(Uint8Array.of(2, ...good.subarray(1))), /format version 2; this codec reads version 1/);
    refuses(() => decodeChunk(Uint8Array.of(0, ...good.subarray(1))), /format version 0/);
    refuses(() => decodeChunk(Uint8Array.of(...good, 0)), /1 bytes after the last section/);
    const badTimes = Uint8Array.from(good);
    badTimes[2] = 0x3f;
    refuses(() => decodeChunk(badTimes), /unknown times encoding 0x3f/);
    refuses(() => decodeChunk(Uint8Array.of(1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)), /point count at byte 1 is longer than 8 bytes/);
  });

  it('refuses every truncation of chunks of every encoding', () => {
    for (const [name, times, values] of SAMPLES) {
      const bytes = encodeChunk(times, values);
      assert.deepEqual(decodeChunk(bytes).values.length, times.length, name);
      for (let cut = 0; cut < bytes.length; cut++) {
        assert.throws(
          () => decodeChunk(bytes.subarray(0, cut)),
          (err: unknown) => err instanceof ChunkCodecError && /^corrupt chunk: /.test(err.message),
          `${name}: cut at ${cut} of ${bytes.length}`,
        );
      }
    }
  });

  it('decodes randomly damaged chunks to valid points or refuses them, never with another error', () => {
    let seed = 99;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let refused = 0;
    let decoded = 0;
    const started = performance.now();
    for (const [name, times, values] of SAMPLES) {
      const bytes = encodeChunk(times, values);
      for (let k = 0; k < 2000; k++) {
        const damaged = Uint8Array.from(bytes);
        for (let f = 1 + Math.floor(rnd() * 3); f > 0; f--) {
          const at = Math.floor(rnd() * damaged.length);
          damaged[at] = damaged[at]! ^ (1 << Math.floor(rnd() * 8));
        }
        try {
          const back = decodeChunk(damaged);
          // What does decode is a valid chunk: increasing finite times, values a chunk may hold.
          for (let i = 0; i < back.times.length; i++) {
            assert.ok(Number.isFinite(back.times[i]!) && (i === 0 || back.times[i]! > back.times[i - 1]!), `${name}: time ${i}`);
            const v = back.values[i]!;
            assert.ok(v === null || typeof v === 'boolean' || Number.isFinite(v), `${name}: value ${i}`);
          }
          assert.equal(back.values.length, back.times.length);
          decoded++;
        } catch (err) {
          if (!(err instanceof ChunkCodecError)) throw new Error(`${name}: damage #${k} gave ${String(err)}`, { cause: err });
          refused++;
        }
      }
    }
    // Both happen: damage to raw doubles is still a valid chunk (there is no checksum; the
    // stores' pages have theirs), damage to structure is refused.
    assert.ok(refused > 5000 && decoded > 0, `${refused} refused, ${decoded} decoded`);
    // 16,000 decodes of small chunks: damage must not make any of them slow.
    assert.ok(performance.now() - started < 5000, `${Math.round(performance.now() - started)} ms`);
  });
});
