// journaledIncrements (incrementTo with a journal) in virtual time, on a journal that opens
// asynchronously as IndexedDB does: a window whose time runs out before the journal is open is
// journaled once it is, and the next increments get windows of their own. Before the fix the
// spent timer was never re-armed, so a counter whose journal opened slowly journaled nothing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Subject, VirtualTimeScheduler, of } from 'rxjs';
import { journaledIncrements } from '../../src/streams/journaledIncrements.js';
import { slowJournal } from '../helpers/slowJournal.js';


const settle = () => new Promise<void>((r) => setImmediate(r));

describe('journaledIncrements on a journal that opens slowly', () => {
  it('journals the window that timed out while opening, then windows the next increments again', async () => {
    const scheduler = new VirtualTimeScheduler();
    const { journal, open: opened } = slowJournal();
    const journaled: number[] = [];
    const sent: number[] = [];
    const clicks = new Subject<number>();
    const receipts: number[] = [];
    clicks
      .pipe(journaledIncrements((amount) => (sent.push(amount), of(null)), journal, { scheduler, windowMs: 20, onJournaled: (w) => journaled.push(w.amount) }))
      .subscribe({ next: (r) => receipts.push(r.amount) });
    clicks.next(1);
    scheduler.flush(); // the window's 20 ms pass while the journal is still opening
    assert.deepEqual(journaled, [], 'nothing can be journaled before the journal is open');
    opened();
    await settle();
    assert.deepEqual(journaled, [1], 'the timed-out window is journaled as soon as the journal is open');
    clicks.next(2);
    clicks.next(3);
    scheduler.flush();
    await settle();
    assert.deepEqual(journaled, [1, 5]);
    assert.deepEqual(sent, [1, 5]);
    assert.deepEqual(receipts, [1, 5]);
    assert.equal(journal.bytes, 0, 'acknowledged windows leave the journal');
  });
});
