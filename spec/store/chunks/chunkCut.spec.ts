// Aligned chunk cuts (src/server/store/chunks/chunkCut.ts): a chunk ends before an aligned time
// where the point rate allows, so hourly buckets fold whole chunks; sparse and irregular series
// keep near-full chunks; bulk writes, appends through the head and rewrites all cut alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PointValue } from '../../../src/codec/Point.js';
import { checkChunkAlign, chunkCut } from '../../../src/server/store/chunks/chunkCut.js';
import { ChunkWriter } from '../../../src/server/store/chunks/ChunkWriter.js';
import { compactHead } from '../../../src/server/store/chunks/compactHead.js';
import { runStepSync } from '../../../src/server/store/chunks/runStepSync.js';
import { writeChunked } from '../../../src/server/store/chunks/writeChunked.js';
import { MemoryChunkTable } from './MemoryChunkTable.js';

const O = { chunkPoints: 4096, chunkAlign: [86400, 3600, 900, 60] };
const DAY = 1_735_689_600; // 2025-01-01T00:00:00Z
const every = (from: number, step: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i * step);

/** The chunks a sorted bulk write of `times` makes, as [start, end, count]. */
function bulkChunks(times: number[], options: object = O, pieces = 7): [number, number, number][] {
  const table = new MemoryChunkTable();
  const w = new ChunkWriter(table, 1, options);
  const values: PointValue[] = times.map((_, i) => i % 13);
  const per = Math.ceil(times.length / pieces);
  for (let i = 0; i < times.length; i += per) runStepSync(w.add({ times: times.slice(i, i + per), values: values.slice(i, i + per) }));
  runStepSync(w.finish());
  table.checkInvariant(1);
  return table.rows.sort((a, b) => a.start - b.start).map((r) => [r.start, r.end, r.count]);
}

describe('chunkCut', () => {
  it('1 Hz: the first chunk ends before the first hour it can, then one chunk an hour', () => {
    const times = every(DAY + 3540, 1, 6 * 3600); // from 00:59:00
    assert.deepEqual(chunkCut(times, 0, times.length, O), { end: 3660, aligned: true });
    assert.deepEqual(chunkCut(times, 3660, times.length, O), { end: 3660 + 3600, aligned: true });
    const chunks = bulkChunks(times);
    assert.equal(chunks[0]![2], 3660);
    for (const [start, end, count] of chunks.slice(1, -1)) assert.deepEqual([(start - DAY) % 3600, end - start, count], [0, 3599, 3600]);
  });

  it('a chunk lying inside one cell stays whole (a rewrite of an hour chunk does not split it)', () => {
    const hour = every(DAY + 7200, 1, 3600);
    assert.deepEqual(chunkCut(hour, 0, hour.length, O), { end: 3600, aligned: false });
  });

  it('never leaves fewer than chunkPoints / 8 points before an aligned cut', () => {
    // 10 Hz from 20 s before a minute: 200 points before it, fewer than 512, so no cut there.
    const times = every(DAY + 40, 0.1, 5000);
    const cut = chunkCut(times, 0, times.length, O);
    assert.ok(cut.end >= 512 && cut.end <= 4096, `${cut.end}`);
    assert.equal(cut.aligned, true);
    assert.equal(times[cut.end]! % 60, 0, 'cut before a whole minute');
    // Too few points for any aligned cut: by count alone.
    assert.deepEqual(chunkCut(every(DAY, 1, 400), 0, 400, O), { end: 400, aligned: false });
  });

  it('sparse and irregular series keep near-full chunks', () => {
    // One point a minute for 30 days: 4,096 points span 2.8 days, so chunks end at midnight: two days, 2,880 points.
    const sparse = bulkChunks(every(DAY + 17, 60, 30 * 1440));
    for (const [start, end, count] of sparse.slice(0, -2)) assert.deepEqual([(start - 17 - DAY) % 86400, end - start, count], [0, 2 * 86400 - 60, 2880]);
    // Irregular gaps of 0.1 to 5 s: no chunk below 512 points but the last.
    let t = DAY;
    const irregular = Array.from({ length: 60_000 }, (_, i) => (t += 0.1 + ((i * 7919) % 50) / 10.2));
    const chunks = bulkChunks(irregular);
    for (const [, , count] of chunks.slice(0, -1)) assert.ok(count >= 512 && count <= 4096, `${count} points`);
  });

  it('[] cuts by count alone, as before', () => {
    const chunks = bulkChunks(every(DAY + 3540, 1, 20_000), { ...O, chunkAlign: [] });
    assert.deepEqual(
      chunks.map((c) => c[2]),
      [4096, 4096, 4096, 4096, 3616],
    );
  });

  it('appends through the head and compactions cut on the hour too, and leave hour chunks as they are', () => {
    const table = new MemoryChunkTable();
    const times = every(DAY, 1, 5 * 3600);
    let rewritten = 0;
    const insert = table.insertChunk.bind(table);
    table.insertChunk = (key, summary, data) => {
      rewritten += summary.count;
      return insert(key, summary, data);
    };
    for (let i = 0; i < times.length; i += 200) {
      const part = times.slice(i, i + 200);
      runStepSync(writeChunked(table, 1, { times: part, values: part.map(() => 1) }, { ...O, headWritePoints: 256 }));
      if ((i / 200) % 5 === 4) runStepSync(compactHead(table, 1, O));
    }
    runStepSync(compactHead(table, 1, O));
    table.checkInvariant(1);
    const rows = table.rows.sort((a, b) => a.start - b.start);
    for (const r of rows.slice(0, 4)) assert.deepEqual([(r.start - DAY) % 3600, r.count], [0, 3600]);
    // Each point is encoded a few times as short chunks grow, not once per compaction.
    assert.ok(rewritten < 4 * times.length, `${rewritten} points encoded for ${times.length}`);
  });

  it('refuses alignments that are not positive, not coarsest first, or not multiples of the finest', () => {
    assert.throws(() => checkChunkAlign([0]), /chunkAlign\[0\] \(0\) is not a positive number/);
    assert.throws(() => checkChunkAlign([3600, 3600]), /chunkAlign\[1\] \(3600\) is not below the one before/);
    assert.throws(() => checkChunkAlign([3600, 1000, 900]), /chunkAlign\[1\] \(1000\) is not a whole multiple of the finest, 900/);
    assert.throws(() => new ChunkWriter(new MemoryChunkTable(), 1, { chunkAlign: [Number.NaN] }), RangeError);
    assert.deepEqual(checkChunkAlign([]), []);
  });
});
