// drop-oldest on a journal that holds what an earlier sink left: every point dropped is counted,
// those recovered from the journal (read back only when their turn comes) as well as new ones,
// and the batch in flight is never the one dropped. Synchronous source, a memory journal, no timers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { from, lastValueFrom, of, toArray } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { MemoryJournal } from '../../src/journal/MemoryJournal.js';
import { journaledWriter } from '../../src/streams/journaledWriter.js';

const points = (n: number, from: number): Point[] => Array.from({ length: n }, (_, i) => [from + i, i]);

describe('journaledWriter, overflow drop-oldest', () => {
  it('counts the recovered points it drops: dropped equals what is missing', async () => {
    const journal = new MemoryJournal();
    // What a killed sink left unacknowledged: three batches of 100 points.
    for (let b = 0; b < 3; b++) journal.appendSync({ kind: 'points', points: points(100, 1_000 * b) });
    const written: Point[] = [];
    const writeBatch = (batch: readonly Point[]) => {
      written.push(...batch);
      return of({ replaced: 0 });
    };
    // Room for about four batches of 100 (32 + 17 bytes a point each).
    const receipts = await lastValueFrom(
      from(points(400, 10_000)).pipe(journaledWriter(writeBatch, journal, { maxBatchPoints: 100, maxJournalBytes: 7_000, overflow: 'drop-oldest', fsync: 'never' }), toArray()),
    );
    const total = 300 + 400;
    const dropped = receipts.at(-1)!.dropped;
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), written.length);
    assert.ok(dropped > 0, 'the journal overflowed');
    assert.equal(dropped, total - written.length, `dropped ${dropped}, missing ${total - written.length}`);
    assert.equal(new Set(written.map((p) => p[0])).size, written.length, 'nothing sent twice');
    assert.deepEqual(written.slice(0, 100), points(100, 0), 'the batch in flight (the first recovered) is sent, not dropped');
    assert.deepEqual(written.at(-1), [10_399, 399], 'the newest are kept');
    assert.equal(journal.bytes, 0, 'the journal is empty at the end');
  });
});
