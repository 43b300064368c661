// The shared chunk logic (src/server/store/chunks) against a plain model, on an in-memory table:
// seeded random writes (appends, out-of-order runs, replacements, short writes to the head),
// compactions and range reads give the model's points after every step, and the invariant holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PointValue } from '../../../src/codec/Point.js';
import type { Columns } from '../../../src/server/store/chunks/Columns.js';
import { ChunkWriter } from '../../../src/server/store/chunks/ChunkWriter.js';
import { compactHead } from '../../../src/server/store/chunks/compactHead.js';
import { latestChunked } from '../../../src/server/store/chunks/latestChunked.js';
import { pageEndChunked } from '../../../src/server/store/chunks/pageEndChunked.js';
import { readChunkedStep, type ReadCursor } from '../../../src/server/store/chunks/readChunkedStep.js';
import { runStepSync } from '../../../src/server/store/chunks/runStepSync.js';
import { writeChunked } from '../../../src/server/store/chunks/writeChunked.js';
import { MemoryChunkTable } from './MemoryChunkTable.js';
import { seededRandom } from '../../helpers/seededRandom.js';


// Aligned at 10 s (16 points of mostly 1 s steps span about 15 s): the model also checks aligned cuts.
const options = { chunkPoints: 16, chunkAlign: [40, 10, 5], headWritePoints: 4, chunksPerStep: 3 };

function readAll(table: MemoryChunkTable, key: number, start: number, end: number, chunksPerStep = 3): [number, PointValue][] {
  const out: [number, PointValue][] = [];
  let cursor: ReadCursor | undefined = { time: start, included: true };
  while (cursor) {
    const step: { columns: Columns; next: ReadCursor | undefined } = runStepSync(readChunkedStep(table, key, cursor, end, chunksPerStep));
    for (let i = 0; i < step.columns.times.length; i++) out.push([step.columns.times[i]!, step.columns.values[i]!]);
    cursor = step.next;
  }
  return out;
}

function modelRange(model: Map<number, PointValue>, start: number, end: number): [number, PointValue][] {
  return [...model].filter(([t]) => t >= start && t < end).sort((a, b) => a[0] - b[0]);
}

describe('shared chunk logic', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`matches a plain model over 400 random operations (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const table = new MemoryChunkTable();
      const model = new Map<number, PointValue>();
      const key = 7;
      const value = (): PointValue => {
        const r = random();
        return r < 0.05 ? null : r < 0.08 ? true : r < 0.1 ? false : Math.round(random() * 1000) / 100;
      };
      for (let op = 0; op < 400; op++) {
        const r = random();
        if (r < 0.7) {
          // A write: a run of times (some at existing ones), sorted and unique, in one or more pieces.
          const size = random() < 0.5 ? 1 + Math.floor(random() * 4) : 1 + Math.floor(random() * 80);
          const base = random() < 0.6 ? model.size : Math.floor(random() * (model.size + 10));
          const times = [...new Set(Array.from({ length: size }, () => base + Math.floor(random() * size * 2)))].sort((a, b) => a - b);
          const values = times.map(() => value());
          if (random() < 0.5) {
            runStepSync(writeChunked(table, key, { times, values }, options));
          } else {
            const w = new ChunkWriter(table, key, options);
            const pieces = 1 + Math.floor(random() * 4);
            const per = Math.ceil(times.length / pieces);
            for (let p = 0; p < times.length; p += per) runStepSync(w.add({ times: times.slice(p, p + per), values: values.slice(p, p + per) }));
            runStepSync(w.finish());
          }
          times.forEach((t, i) => model.set(t, values[i]!));
        } else if (r < 0.8) {
          const moved = runStepSync(compactHead(table, key, options));
          assert.equal(table.head.get(key)?.size ?? 0, 0);
          assert.ok(moved >= 0);
        } else if (r < 0.85) {
          runStepSync(table.deleteAll(key));
          model.clear();
        } else {
          const a = Math.floor(random() * (model.size + 5)) - 2;
          const b = a + Math.floor(random() * 60);
          assert.deepEqual(readAll(table, key, a, b), modelRange(model, a, b), `range [${a}, ${b}) after op ${op}`);
          const limit = 1 + Math.floor(random() * 30);
          const inRange = modelRange(model, a, b);
          assert.equal(runStepSync(pageEndChunked(table, key, { start: a, end: b }, limit, 3)), inRange[limit]?.[0]);
        }
        table.checkInvariant(key);
        const all = modelRange(model, -Infinity, Infinity);
        assert.deepEqual(runStepSync(latestChunked(table, key)), all[all.length - 1], `latest after op ${op}`);
      }
      assert.deepEqual(readAll(table, key, -Infinity, Infinity, 1), modelRange(model, -Infinity, Infinity));
    });
  }

  it('cuts a sorted upload sent in many runs into full chunks', () => {
    const table = new MemoryChunkTable();
    const w = new ChunkWriter(table, 1, { chunkPoints: 100, chunkAlign: [] });
    for (let run = 0; run < 50; run++) {
      const times = Array.from({ length: 37 }, (_, i) => run * 37 + i);
      runStepSync(w.add({ times, values: times.map((t) => t / 2) }));
    }
    runStepSync(w.finish());
    const counts = table.rows.map((r) => r.count);
    assert.equal(counts.reduce((a, b) => a + b), 1850);
    assert.deepEqual(counts.slice(0, -1), Array(counts.length - 1).fill(100));
    assert.ok(counts[counts.length - 1]! <= 125);
  });

  it('fills a short last chunk with the next appends instead of adding short chunks', () => {
    const table = new MemoryChunkTable();
    const o = { chunkPoints: 100, chunkAlign: [], headWritePoints: 0 };
    for (let t = 0; t < 1000; t += 10) {
      runStepSync(writeChunked(table, 1, { times: Array.from({ length: 10 }, (_, i) => t + i), values: Array(10).fill(1) }, o));
    }
    assert.ok(table.rows.length <= 11, `${table.rows.length} chunks for 1,000 points`);
    assert.equal(table.rows.reduce((a, r) => a + r.count, 0), 1000);
  });

  it('rewrites only the chunks an out-of-order write touches', () => {
    const table = new MemoryChunkTable();
    const w = new ChunkWriter(table, 1, { chunkPoints: 100, chunkAlign: [] });
    const times = Array.from({ length: 1000 }, (_, i) => i);
    runStepSync(w.add({ times, values: times }));
    runStepSync(w.finish());
    const before = new Map(table.rows.map((r) => [r.ref, r.start]));
    runStepSync(writeChunked(table, 1, { times: [450.5], values: [-1] }, { chunkPoints: 100, chunkAlign: [] }));
    const kept = table.rows.filter((r) => before.has(r.ref));
    assert.equal(kept.length, table.rows.length - 1 - (table.rows.length - before.size), 'one chunk replaced');
    assert.ok(kept.length >= 9);
  });

  it('compacts a head point left in a gap far back without rewriting the chunks after it', () => {
    const table = new MemoryChunkTable();
    const o = { chunkPoints: 100, chunkAlign: [], headWritePoints: 8 };
    const w = new ChunkWriter(table, 1, o);
    const times = Array.from({ length: 10_000 }, (_, i) => i);
    runStepSync(w.add({ times, values: times }));
    runStepSync(w.finish());
    const before = new Set(table.rows.map((r) => r.ref));
    // A late point between the first two chunks and appends after the last one, all in the head.
    for (const [t, v] of [[99.5, -1], [10_000, 1], [10_001, 2], [299.5, -2]] as const) runStepSync(writeChunked(table, 1, { times: [t], values: [v] }, o));
    assert.equal(table.head.get(1)?.size, 4);
    assert.equal(runStepSync(compactHead(table, 1, o)), 4);
    table.checkInvariant(1);
    assert.equal(table.head.get(1)?.size ?? 0, 0);
    // None of the 100 full chunks was rewritten (as one run from 99.5 to 10,001 it rewrote 98 of them):
    // the late points and the appends made chunks of their own.
    assert.equal([...before].filter((ref) => !table.rows.some((r) => r.ref === ref)).length, 0);
    assert.deepEqual(readAll(table, 1, 99, 101), [[99, 99], [99.5, -1], [100, 100]]);
    assert.deepEqual(readAll(table, 1, 299, 301), [[299, 299], [299.5, -2], [300, 300]]);
    assert.equal(readAll(table, 1, -Infinity, Infinity).length, 10_004);
  });
});
