// journaledPull on a journal that takes its time to open (IndexedDB, a slow disk): the pull waits
// within the memory budget meanwhile instead of reading the source into memory, and once the
// journal is open everything is written, in order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lastValueFrom, of, toArray } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { journaledPull } from '../../src/streams/journaledWriter.js';
import { slowJournal } from '../helpers/slowJournal.js';


describe('journaledPull while the journal opens', () => {
  it('reads no further than the memory budget before the journal is open', async () => {
    const { journal, open } = slowJournal();
    let produced = 0;
    // eslint-disable-next-line @typescript-eslint/require-await -- pulled one chunk at a time
    async function* source(): AsyncGenerator<Point[]> {
      for (let c = 0; c < 100; c++) {
        produced += 300;
        yield Array.from({ length: 300 }, (_, i): Point => [c * 300 + i, i]);
      }
    }
    const written: Point[] = [];
    const writeBatch = (points: readonly Point[]) => (written.push(...points), of({ replaced: 0 }));
    const out = lastValueFrom(journaledPull(writeBatch, journal, source(), { maxBatchPoints: 1_000, maxBufferPoints: 2_000, fsync: 'never' }).pipe(toArray()));
    for (let i = 0; i < 200; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    assert.ok(produced <= 2_000 + 300, `read ${produced} points before the journal opened`);
    open();
    const receipts = await out;
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), 30_000);
    assert.deepEqual(written.map((p) => p[0]), Array.from({ length: 30_000 }, (_, i) => i));
  });
});
