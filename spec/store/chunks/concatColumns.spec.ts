// concatColumns: the join of a read step's chunks. It must keep every point in order, keep the
// values typed when they all are, and cost one copy (appending chunk by chunk, as readChunkedStep
// did, copied the step so far again for every chunk).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkWriter } from '../../../src/server/store/chunks/ChunkWriter.js';
import { concatColumns } from '../../../src/server/store/chunks/concatColumns.js';
import { readChunkedStep } from '../../../src/server/store/chunks/readChunkedStep.js';
import { runStepSync } from '../../../src/server/store/chunks/runStepSync.js';
import { decodeChunk } from '../../../src/codec/chunk/decodeChunk.js';
import { bestOfMs } from '../../helpers/bestOfMs.js';
import { MemoryChunkTable } from './MemoryChunkTable.js';

describe('concatColumns', () => {
  it('joins runs in order, skips empty ones, returns a single run as it is', () => {
    const a = { times: Float64Array.of(1, 2), values: Float64Array.of(10, 20) };
    const b = { times: Float64Array.of(3), values: Float64Array.of(-0) };
    const joined = concatColumns([a, { times: [], values: [] }, b]);
    assert.deepEqual(Array.from(joined.times), [1, 2, 3]);
    assert.ok(joined.values instanceof Float64Array, 'all-number runs stay a Float64Array');
    assert.ok(Object.is(joined.values[2], -0));
    assert.equal(concatColumns([{ times: [], values: [] }, a]), a);
    assert.deepEqual(concatColumns([]).times.length, 0);
  });

  it('keeps null, true and false when a run has them', () => {
    const joined = concatColumns([
      { times: Float64Array.of(1), values: Float64Array.of(1.5) },
      { times: [2, 3, 4], values: [null, true, false] },
    ]);
    assert.deepEqual(Array.from(joined.times), [1, 2, 3, 4]);
    assert.deepEqual(Array.from(joined.values), [1.5, null, true, false]);
  });

  it('a read step over 32 chunks costs a few decodes, not one copy of the step per chunk', async () => {
    const table = new MemoryChunkTable();
    const w = new ChunkWriter(table, 1, { chunkPoints: 4096, chunkAlign: [] });
    const n = 32 * 4096;
    const times = Float64Array.from({ length: n }, (_, i) => 1.5e9 + i);
    const values = Float64Array.from({ length: n }, (_, i) => Math.round(Math.sin(i) * 1e4) / 100);
    runStepSync(w.add({ times, values }));
    runStepSync(w.finish());
    assert.equal(table.rows.length, 32);
    const step = runStepSync(readChunkedStep(table, 1, { time: -Infinity, included: true }, Infinity, 32));
    assert.equal(step.columns.times.length, n);
    assert.ok(step.columns.values instanceof Float64Array);
    assert.deepEqual(step.columns.times, times);
    const decodeMs = await bestOfMs(() => {
      for (const r of table.rows) decodeChunk(r.data);
    });
    const stepMs = await bestOfMs(() => runStepSync(readChunkedStep(table, 1, { time: -Infinity, included: true }, Infinity, 32)));
    // Measured here: decoding 1.1-2.5 ms, the step 1.0-1.6 ms (116 ms appending chunk by chunk).
    assert.ok(stepMs < 5 * decodeMs + 2, `step ${stepMs.toFixed(2)} ms vs decoding its chunks ${decodeMs.toFixed(2)} ms`);
  });
});
