// batchWriter (the core of writeTo) in virtual time: window timer, size limits, one batch in
// flight and order, retry with backoff and Retry-After, give-up with the unwritten points,
// overflow policies with counted drops, empty / never / error sources, flush on unsubscribe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEVER, Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Point } from '../../src/codec/Point.js';
import { HttpError } from '../../src/errors/HttpError.js';
import { WriteFailedError } from '../../src/errors/WriteFailedError.js';
import { batchWriter, type WriteReceipt } from '../../src/streams/batchWriter.js';

const ts = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const P: Record<string, Point> = { a: [1, 1], b: [2, 2], c: [3, 3], d: [4, 4], e: [5, 5] };
const http = (status: number, retryAfter?: string) =>
  new HttpError({ method: 'POST', url: 'u', status, body: '', headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) });
const receipt = (pts: Point[], extra: Partial<WriteReceipt> = {}): WriteReceipt => ({
  points: pts.length, firstTime: pts[0]![0], lastTime: pts.at(-1)![0], attempts: 1, durationMs: 1, dropped: 0, replaced: undefined, ...extra,
});

/** A writeBatch that answers call i with answers[i] (or the last one) and records batches and overlap. */
function writer(answers: Observable<unknown>[]) {
  const batches: Point[][] = [];
  let open = 0;
  let maxOpen = 0;
  const write = (points: Point[]): Observable<unknown> => {
    batches.push(points);
    const answer = answers[Math.min(batches.length - 1, answers.length - 1)]!;
    return new Observable<unknown>((sub) => {
      maxOpen = Math.max(maxOpen, ++open);
      let ended = false;
      const end = () => {
        if (!ended) open--;
        ended = true;
      };
      const inner = answer.subscribe({
        next: (v) => sub.next(v),
        error: (e: unknown) => (end(), sub.error(e)),
        complete: () => (end(), sub.complete()),
      });
      return () => {
        end();
        inner.unsubscribe();
      };
    });
  };
  return { batches, write, maxOpen: () => maxOpen };
}

describe('batchWriter', () => {
  it('writes a lone point after the window (a real timer, not on the next point)', () => {
    ts().run(({ hot, cold, expectObservable }) => {
      const w = writer([cold('-|')]);
      expectObservable(hot('-a', P).pipe(batchWriter(w.write, { windowMs: 10 })), '^ 50ms !').toBe('- 11ms r', { r: receipt([P.a!]) });
    });
  });

  it('closes batches on size, keeps one in flight, keeps order, completes after the last ack', () => {
    let w = writer([]);
    ts().run(({ hot, cold, expectObservable }) => {
      w = writer([cold('---|')]);
      expectObservable(hot('abcde|', P).pipe(batchWriter(w.write, { maxBatchPoints: 2, windowMs: 100 }))).toBe('----x--y--(z|)', {
        x: receipt([P.a!, P.b!], { durationMs: 3 }),
        y: receipt([P.c!, P.d!], { durationMs: 3 }),
        z: receipt([P.e!], { durationMs: 3 }),
      });
    });
    assert.deepEqual(w.batches, [[P.a, P.b], [P.c, P.d], [P.e]]);
    assert.equal(w.maxOpen(), 1);
  });

  it('closes a batch on bytes too', () => {
    ts().run(({ hot, cold, expectObservable }) => {
      const w = writer([cold('|')]);
      // Each numeric point counts 36 bytes: 72 bytes close a batch of two.
      expectObservable(hot('abc|', P).pipe(batchWriter(w.write, { maxBatchBytes: 72, windowMs: 100 }))).toBe('-x-(y|)', {
        x: receipt([P.a!, P.b!], { durationMs: 0 }),
        y: receipt([P.c!], { durationMs: 0 }),
      });
    });
  });

  it('retries a 503 after its Retry-After seconds, then acknowledges with attempts = 2', () => {
    ts().run(({ hot, cold, expectObservable }) => {
      const w = writer([cold('-#', undefined, http(503, '1')), cold('-|')]);
      expectObservable(hot('a|', P).pipe(batchWriter(w.write, { random: () => 0 }))).toBe('- 1002ms (r|)', {
        r: receipt([P.a!], { attempts: 2, durationMs: 1002 }),
      });
    });
  });

  it('gives up after maxRetries with exponential backoff, carrying the unwritten points', () => {
    ts().run(({ hot, cold, expectObservable }) => {
      const w = writer([cold('-#', undefined, http(502))]);
      // attempt 1 at 1, fails at 2, waits 5; attempt 2 at 7, fails at 8, waits 10; attempt 3 at 18, fails at 19.
      const out = hot('a|', P).pipe(batchWriter(w.write, { maxRetries: 2, retryBaseMs: 10, random: () => 0 }));
      expectObservable(out).toBe('- 18ms #', undefined, new WriteFailedError('gave up after 3 attempt(s) in 18 ms', [P.a!], 0, http(502)));
    });
  });

  it('does not retry a 400: fails at once with every point not yet written', () => {
    let error: unknown;
    ts().run(({ hot, cold }) => {
      const w = writer([cold('-#', undefined, http(400))]);
      hot('a--b', P).pipe(batchWriter(w.write, { maxBatchPoints: 1 })).subscribe({ error: (e: unknown) => (error = e) });
    });
    assert.ok(error instanceof WriteFailedError);
    assert.deepEqual(error.points, [P.a]);
    assert.equal((error.cause as HttpError).status, 400);
  });

  for (const [policy, second] of [['drop-oldest', 'c'], ['drop-newest', 'b']] as const) {
    it(`overflow '${policy}' drops and counts`, () => {
      ts().run(({ hot, cold, expectObservable }) => {
        const w = writer([cold('-----|')]);
        expectObservable(hot('abc|', P).pipe(batchWriter(w.write, { maxBatchPoints: 1, maxBufferPoints: 2, overflow: policy }))).toBe('-----x----(y|)', {
          x: receipt([P.a!], { durationMs: 5, dropped: 1 }),
          y: receipt([P[second]!], { durationMs: 5, dropped: 1 }),
        });
      });
    });
  }

  it("overflow 'error' fails with every buffered and in-flight point", () => {
    let error: unknown;
    ts().run(({ hot }) => {
      const w = writer([NEVER]);
      hot('abc', P).pipe(batchWriter(w.write, { maxBatchPoints: 1, maxBufferPoints: 2 })).subscribe({ error: (e: unknown) => (error = e) });
    });
    assert.ok(error instanceof WriteFailedError);
    assert.deepEqual(error.points, [P.a, P.b, P.c]);
  });

  it('empty completes at once; never stays silent and writes nothing', () => {
    ts().run(({ cold, expectObservable }) => {
      const w = writer([cold('-|')]);
      expectObservable(cold<Point>('|').pipe(batchWriter(w.write))).toBe('|');
      expectObservable(NEVER.pipe(batchWriter(w.write)), '^ 5000ms !').toBe('');
      return w;
    });
  });

  it('a source error is passed on after the buffered points are written', () => {
    ts().run(({ hot, cold, expectObservable }) => {
      const w = writer([cold('-|')]);
      expectObservable(hot('a-#', P, new Error('sensor died')).pipe(batchWriter(w.write, { windowMs: 100 }))).toBe('---(r#)', { r: receipt([P.a!]) }, new Error('sensor died'));
    });
  });

  it('unsubscribing flushes what is buffered, reporting to onDetached', () => {
    const events: unknown[] = [];
    ts().run(({ hot, cold, expectObservable }) => {
      const w = writer([cold('--|')]);
      expectObservable(hot('ab', P).pipe(batchWriter(w.write, { windowMs: 100, onDetached: (e) => events.push(e) })), '^ 4ms !').toBe('');
    });
    assert.deepEqual(events, [{ receipt: receipt([P.a!, P.b!], { durationMs: 2 }) }, { done: true }]);
  });

  it('with flushOnUnsubscribe: false, unsubscribing aborts the batch in flight', () => {
    ts().run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('-----|');
      const w = writer([answer]);
      expectObservable(hot('a|', P).pipe(batchWriter(w.write, { flushOnUnsubscribe: false })), '^--!').toBe('');
      expectSubscriptions(answer.subscriptions).toBe('-^-!');
    });
  });
});
