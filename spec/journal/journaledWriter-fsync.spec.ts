// The fsync policy of a journaled sink, counted on a journal that records its sync() calls:
// 'batch' syncs each batch before it is sent, 'never' syncs only at close, 'window' at most once per
// windowMs. Virtual time for the window; a memory journal; the sends succeed at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Subject, VirtualTimeScheduler, of } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { MemoryJournal } from '../../src/journal/MemoryJournal.js';
import { journaledWriter, type JournalOptions } from '../../src/streams/journaledWriter.js';

class CountingJournal extends MemoryJournal {
  constructor(readonly log: string[]) {
    super();
  }
  override sync(): Promise<void> {
    this.log.push('sync');
    return super.sync();
  }
  override close(): Promise<void> {
    this.log.push('close');
    return super.close();
  }
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

function run(fsync: NonNullable<JournalOptions['fsync']>) {
  const log: string[] = [];
  const scheduler = new VirtualTimeScheduler();
  const input = new Subject<Point>();
  let done = false;
  const writeBatch = (points: readonly Point[]) => {
    log.push(`send ${points.length}`);
    return of({ replaced: 0 });
  };
  input.pipe(journaledWriter(writeBatch, new CountingJournal(log), { maxBatchPoints: 10, windowMs: 1_000, fsync, scheduler })).subscribe({ complete: () => (done = true) });
  return { log, scheduler, input, done: () => done };
}

describe('journaledWriter fsync', () => {
  it("'batch' syncs every batch, before it is sent", async () => {
    const { log, input, done } = run('batch');
    for (let i = 0; i < 30; i++) input.next([i, i]);
    await settle();
    assert.deepEqual(log, ['sync', 'send 10', 'sync', 'send 10', 'sync', 'send 10']);
    input.complete();
    await settle();
    assert.ok(done());
    assert.deepEqual(log.slice(6), ['close']);
  });

  it("'never' syncs only at close, however long it runs", async () => {
    const { log, scheduler, input, done } = run('never');
    for (let t = 0; t < 5; t++) {
      for (let i = 0; i < 25; i++) input.next([t * 100 + i, i]);
      await settle();
      scheduler.flush(); // windows close and time passes: no sync timer is armed
      await settle();
    }
    input.complete();
    await settle();
    assert.ok(done());
    assert.equal(log.filter((e) => e === 'sync').length, 0);
    assert.equal(log.filter((e) => e.startsWith('send')).length, 15);
    assert.equal(log.at(-1), 'close', 'close syncs the journal itself');
  });

  it("'window' syncs at most once per windowMs, and only after appends", async () => {
    const { log, scheduler, input } = run('window');
    for (let i = 0; i < 30; i++) input.next([i, i]); // three batches at time 0
    await settle();
    assert.equal(log.filter((e) => e === 'sync').length, 0, 'not yet: the window has not passed');
    scheduler.flush(); // 1 s later: one sync for the three
    await settle();
    assert.equal(log.filter((e) => e === 'sync').length, 1);
    scheduler.flush(); // nothing appended since: no sync
    await settle();
    assert.equal(log.filter((e) => e === 'sync').length, 1);
    input.next([100, 1]); // one more batch, closed by its window
    scheduler.flush();
    await settle();
    scheduler.flush();
    await settle();
    assert.equal(log.filter((e) => e === 'sync').length, 2);
  });
});
