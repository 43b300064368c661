// Appends in batches (issue 13: node-influx sends 5,000 points over 10 series, ~500 a series a
// write) re-encode each point about twice in all, not a growing short last chunk on every write;
// the points read back are the ones written and the short chunks left standing stay few.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChunkSummary } from '../../../src/codec/chunk/ChunkSummary.js';
import { decodeChunk } from '../../../src/codec/chunk/decodeChunk.js';
import { runStepSync } from '../../../src/server/store/chunks/runStepSync.js';
import { writeChunked } from '../../../src/server/store/chunks/writeChunked.js';
import { MemoryChunkTable } from './MemoryChunkTable.js';

/** A MemoryChunkTable that counts the points it was given to store as chunks. */
class CountingTable extends MemoryChunkTable {
  encoded = 0;
  override insertChunk(key: number, summary: ChunkSummary, data: Uint8Array) {
    this.encoded += summary.count;
    return super.insertChunk(key, summary, data);
  }
}

function append(table: MemoryChunkTable, runs: number, runPoints: number, o: { chunkPoints: number; chunkAlign?: number[]; headWritePoints: number }): void {
  for (let r = 0; r < runs; r++) {
    const times = Array.from({ length: runPoints }, (_, i) => r * runPoints + i);
    runStepSync(writeChunked(table, 1, { times, values: times.map((t) => t / 4) }, o));
  }
}

describe('appends in batches', () => {
  it('encode each point at most about twice, and read back exactly', () => {
    const table = new CountingTable();
    const o = { chunkPoints: 4096, headWritePoints: 256 };
    append(table, 200, 500, o); // 100,000 points
    assert.ok(table.encoded <= 2.2 * 100_000, `${table.encoded} points encoded for 100,000 appended`);
    const rows = [...table.rows].sort((a, b) => a.start - b.start);
    const times = rows.flatMap((r) => [...decodeChunk(r.data).times]);
    assert.deepEqual(times, Array.from({ length: 100_000 }, (_, i) => i));
    // 1 Hz: chunks end on the hour (3,600 points) where the default alignment cuts them.
    const short = rows.filter((r) => r.count < 3600).length;
    assert.ok(short <= 9, `${short} short chunks`);
  });

  it('merge short chunks once they make a full one, or when 16 stand in a row', () => {
    const table = new MemoryChunkTable();
    append(table, 100, 10, { chunkPoints: 100, chunkAlign: [], headWritePoints: 0 });
    assert.deepEqual(table.rows.map((r) => r.count), Array(10).fill(100));
    const tiny = new MemoryChunkTable();
    append(tiny, 40, 1, { chunkPoints: 1000, chunkAlign: [], headWritePoints: 0 });
    assert.ok(tiny.rows.length <= 17, `${tiny.rows.length} chunks for 40 single points`);
    assert.equal(tiny.rows.reduce((a, r) => a + r.count, 0), 40);
  });
});
