// loadLater holds what a source emits before the sink's code has loaded within the sink's own
// limit: 'error' ends the stream at once with the sink's error, drop-newest and drop-oldest drop and
// hand the count to the sink. Synchronous sources; the load resolves when the spec says.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Subject, lastValueFrom, map, range, toArray, type OperatorFunction } from 'rxjs';
import { loadJournal } from '../../src/streams/loadJournal.js';
import { loadLater, type HeldLimit } from '../../src/streams/loadLater.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A sink that emits, at the end, what it got and the count it was built with. */
const sinkOf = (_: void, dropped: number): OperatorFunction<number, { got: number[]; dropped: number }> => (source) => source.pipe(toArray(), map((got) => ({ got, dropped })));

describe('loadLater, held values', () => {
  it("'error': the sink's error, at once, with what was held; the sink is never built", async () => {
    const load = deferred();
    let built = 0;
    const limit: HeldLimit<number> = { max: 5, overflow: 'error', full: (held) => new RangeError(`full: ${held.join(',')}`) };
    let error: unknown;
    const source = new Subject<number>();
    loadLater(source, () => load.promise, (c: void, d) => (built++, sinkOf(c, d)), true, limit).subscribe({ error: (e: unknown) => (error = e) });
    for (let i = 0; i < 10; i++) source.next(i);
    assert.ok(error instanceof RangeError, 'errored at once, before the code loaded');
    assert.equal(error.message, 'full: 0,1,2,3,4,5', 'the held values and the one that did not fit');
    assert.equal(source.observed, false, 'the source is unsubscribed');
    load.resolve();
    await load.promise;
    await Promise.resolve();
    assert.equal(built, 0, 'nothing is handed to a sink after the error');
  });

  it("'drop-newest' keeps the first max values and tells the sink how many it dropped", async () => {
    const load = deferred();
    const out = lastValueFrom(loadLater(range(0, 12), () => load.promise, sinkOf, true, { max: 5, overflow: 'drop-newest', full: () => new Error('unused') }));
    load.resolve();
    assert.deepEqual(await out, { got: [0, 1, 2, 3, 4], dropped: 7 });
  });

  it("'drop-oldest' keeps the last max values and tells the sink how many it dropped", async () => {
    const load = deferred();
    const out = lastValueFrom(loadLater(range(0, 23), () => load.promise, sinkOf, true, { max: 5, overflow: 'drop-oldest', full: () => new Error('unused') }));
    load.resolve();
    assert.deepEqual(await out, { got: [18, 19, 20, 21, 22], dropped: 18 });
  });

  it('within the limit, everything is handed over in order, nothing dropped', async () => {
    const load = deferred();
    const out = lastValueFrom(loadLater(range(0, 5), () => load.promise, sinkOf, true, { max: 5, overflow: 'error', full: () => new Error('unused') }));
    load.resolve();
    assert.deepEqual(await out, { got: [0, 1, 2, 3, 4], dropped: 0 });
  });
});

describe('loadJournal', () => {
  it('gives every caller the same promise, so sinks get the journal code in the order they subscribed', async () => {
    // Two import() calls may settle in either order; a sink unsubscribed while loading must
    // journal what it held before the next sink on that journal opens it (writeTo-journal.spec.ts).
    const first = loadJournal();
    assert.equal(loadJournal(), first);
    const order: number[] = [];
    await Promise.all([loadJournal().then(() => order.push(1)), loadJournal().then(() => order.push(2))]);
    assert.deepEqual(order, [1, 2]);
  });
});
