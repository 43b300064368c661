// The shared downsampled read (src/server/store/chunks/downsampleInSteps.ts) folds a chunk that lies
// inside one bucket (M4: one column) from its summary and decodes only chunks that straddle an edge
// (a summary holds the count of numbers and the times of min and max): checked by counting the
// chunk reads of an in-memory table of encoded chunks, against a brute force over the same points.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeChunk } from '../../src/codec/chunk/encodeChunk.js';
import { summarizeChunk } from '../../src/codec/chunk/summarizeChunk.js';
import type { DownsampleSpec } from '../../src/codec/downsample/DownsampleSpec.js';
import type { Point, PointValue } from '../../src/codec/Point.js';
import type { TimeBounds } from '../../src/server/store/chunks/ChunkTable.js';
import type { Columns } from '../../src/server/store/chunks/Columns.js';
import { downsampleInSteps } from '../../src/server/store/chunks/downsampleInSteps.js';
import type { ChunkSummaryRow, DownsampleTable } from '../../src/server/store/chunks/downsampleTable.js';
import { doneStep, type Step } from '../../src/server/store/chunks/Step.js';
import { runStepSync } from '../../src/server/store/chunks/runStepSync.js';
import { bruteBuckets, bruteM4 } from './bruteForce.js';

/** Chunks of `size` points (encoded as the stores encode them) and head points, counting decodes. */
class MemoryTable implements DownsampleTable<number> {
  readonly rows: (ChunkSummaryRow & { data: Uint8Array })[] = [];
  reads = 0;
  constructor(
    chunkPoints: Point[],
    size: number,
    readonly head: Point[] = [],
  ) {
    for (let i = 0; i < chunkPoints.length; i += size) {
      const part = chunkPoints.slice(i, i + size);
      const times = part.map((p) => p[0]);
      const values = part.map((p) => p[1]);
      this.rows.push({ ref: this.rows.length, ...summarizeChunk(times, values), data: encodeChunk(times, values) });
    }
  }
  chunkSummaries(_key: number, from: number, to: number, limit: number): Step<ChunkSummaryRow[]> {
    return doneStep(this.rows.filter((r) => r.end >= from && r.start <= to).slice(0, limit));
  }
  chunkData(ref: number): Step<Uint8Array> {
    this.reads++;
    return doneStep(this.rows[ref]!.data);
  }
  headIn(_key: number, b: TimeBounds): Step<Columns> {
    const inside = this.head.filter(([t]) => (b.lowIncluded ? t >= b.low : t > b.low) && (b.highIncluded ? t <= b.high : t < b.high));
    return doneStep({ times: inside.map((p) => p[0]), values: inside.map((p) => p[1]) });
  }
}

async function read(table: MemoryTable, spec: DownsampleSpec, chunksPerStep = 4): Promise<Point[]> {
  const out: Point[] = [];
  for await (const piece of downsampleInSteps(spec, (make) => Promise.resolve(runStepSync(make(table, 1))), chunksPerStep)) out.push(...piece);
  return out;
}

const seconds = (from: number, n: number, value: (i: number) => PointValue = (i) => ((i * 7919) % 101) - 50): Point[] =>
  Array.from({ length: n }, (_, i): Point => [from + i, value(i)]);

describe('downsampled reads decode only chunks that straddle an edge', () => {
  it('hourly aggregates over chunks of 600 s aligned to the hour: no chunk is decoded', async () => {
    // 600-point chunks at 1 Hz starting on the hour: 6 a bucket, none straddles.
    const points = seconds(0, 36_000);
    const table = new MemoryTable(points, 600);
    for (const agg of ['min', 'max', 'first', 'last', 'sum', 'count'] as const) {
      table.reads = 0;
      assert.deepStrictEqual(await read(table, { start: 0, end: 36_000, every: 3600, agg }), bruteBuckets(points, 0, 36_000, 3600, agg));
      assert.equal(table.reads, 0, agg);
    }
  });

  it('chunks straddling bucket edges and the range ends are the only ones decoded', async () => {
    const points = seconds(0, 10_000);
    // 1,000-point chunks, buckets of 1,500 s: chunks 1, 4, 7 straddle (1000-1999 meets 1500, …); the range cuts 0 and 9.
    const table = new MemoryTable(points, 1000);
    const spec = { start: 500, end: 9_500, every: 1500, agg: 'max' } as const;
    assert.deepStrictEqual(await read(table, spec), bruteBuckets(points, 500, 9_500, 1500, 'max'));
    assert.equal(table.reads, 5);
  });

  it('mean: a chunk inside a bucket is folded from its summary (its count of numbers), with or without literals', async () => {
    const points = [...seconds(0, 1200, (i) => (i % 7 === 0 ? null : i % 11 === 0 ? true : i)), ...seconds(1200, 600, () => null)];
    const table = new MemoryTable(points, 600);
    const counted: number[] = [];
    const original = table.chunkData.bind(table);
    table.chunkData = (ref) => (counted.push(ref), original(ref));
    assert.deepStrictEqual(await read(table, { start: 0, end: 1800, every: 600, agg: 'mean' }), bruteBuckets(points, 0, 1800, 600, 'mean'));
    assert.deepStrictEqual(counted, []);
    // Straddling chunks are decoded: the same means.
    assert.deepStrictEqual(await read(table, { start: 0, end: 1800, every: 450, agg: 'mean' }), bruteBuckets(points, 0, 1800, 450, 'mean'));
  });

  it('M4: whole chunks give first, last, min and max with their times from summaries: none is decoded', async () => {
    const points = seconds(0, 8000, (i) => Math.round(Math.sin(i / 300) * 1000) / 8);
    const table = new MemoryTable(points, 500);
    // 4 columns of 2,000 s, 4 whole chunks each.
    assert.deepStrictEqual(await read(table, { start: 0, end: 8000, points: 4, agg: 'm4' }), bruteM4(points, 0, 8000, 4));
    assert.equal(table.reads, 0);
    // 5 columns of 1,600 s: the chunks holding the 4 inner column edges are the only ones decoded.
    table.reads = 0;
    assert.deepStrictEqual(await read(table, { start: 0, end: 8000, points: 5, agg: 'm4' }), bruteM4(points, 0, 8000, 5));
    assert.equal(table.reads, 4);
    for (const w of [1, 3, 7, 16, 50, 1000]) assert.deepStrictEqual(await read(table, { start: 0, end: 8000, points: w, agg: 'm4' }, 2), bruteM4(points, 0, 8000, w), `${w} columns`);
  });

  it('head points between and after chunks are merged in time order', async () => {
    const chunked = [...seconds(0, 300), ...seconds(1000, 300)];
    const head: Point[] = [
      [500, 1e6],
      [600.5, null],
      [2000, -1e6],
      [2001, true],
    ];
    const table = new MemoryTable(chunked, 100, head);
    const all = [...chunked, ...head].sort((a, b) => a[0] - b[0]);
    for (const agg of ['mean', 'max', 'min', 'first', 'last', 'count'] as const)
      assert.deepStrictEqual(await read(table, { start: 0, end: 3000, every: 250, agg }, 1), bruteBuckets(all, 0, 3000, 250, agg), agg);
    for (const w of [1, 5, 9]) assert.deepStrictEqual(await read(table, { start: 0, end: 3000, points: w, agg: 'm4' }, 1), bruteM4(all, 0, 3000, w));
  });
});
