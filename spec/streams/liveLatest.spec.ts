// liveLatest in virtual time (TestScheduler.run): push, poll and auto modes; fallback to polling
// when the server has no push (404) and while a dropped connection is reopened with backoff;
// Retry-After and the shared gate; non-retryable errors; distinct emission across transports;
// visibility; empty, never, early unsubscribe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BehaviorSubject, EMPTY, NEVER, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Point } from '../../src/codec/Point.js';
import { AuthenticationError } from '../../src/errors/AuthenticationError.js';
import { HttpError } from '../../src/errors/HttpError.js';
import { NetworkError } from '../../src/errors/NetworkError.js';
import { NotFoundError } from '../../src/errors/NotFoundError.js';
import { PushUnavailableError } from '../../src/errors/PushUnavailableError.js';
import { liveLatest, type LiveUpdate } from '../../src/streams/liveLatest.js';
import { PauseGate } from '../../src/streams/PauseGate.js';

const scheduler = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const p1: Point = [1, 1];
const p2: Point = [2, 2];
const details = (status: number, retryAfter?: string) => ({ method: 'GET', url: 'u', status, body: '', headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) });
const cut = new NetworkError('GET', 'u', new Error('reset'));
const up = (point: Point | null): LiveUpdate => ({ point, transport: 'push' });
const pl = (point: Point | null): LiveUpdate => ({ point, transport: 'poll' });
const V = { a: up(p1), b: up(p2), A: pl(p1), B: pl(p2), n: up(null) };

/** Sources that hand out the given observables in turn and count the subscriptions. */
function sources(push: Observable<Point | null>[], poll: Observable<Point | null>[] = []) {
  let pushes = 0;
  let polls = 0;
  return {
    get pushes() {
      return pushes;
    },
    get polls() {
      return polls;
    },
    push: () => push[pushes++] ?? NEVER,
    poll: () => poll[polls++] ?? NEVER,
  };
}

describe('liveLatest', () => {
  it('push mode: emits the pushed points, each change once; never polls', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const s = sources([cold('-a-a-b-', { a: p1, b: p2 })]);
      expectObservable(liveLatest(s, { mode: 'push' }), '^ 20ms !').toBe('-a---b-', V);
    });
  });

  it('push mode: a dropped connection is reopened after backoff with jitter, the count resets after a delivery', () => {
    let s: ReturnType<typeof sources> | undefined;
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<Point | null>('-a-#', { a: p1 }, cut);
      const refused = cold<Point | null>('-#', undefined, cut);
      const second = cold<Point | null>('-b|', { b: p2 });
      const third = cold<Point | null>('-a', { a: p1 });
      s = sources([first, refused, second, third]);
      // random() = 0: delays 50, 100 (2 failures in a row), then 50 again after the delivery at 157.
      // first drops at 3 → reopens at 53, refused at 54 → reopens at 154 → b at 155, ends at 156
      // (a normal end is a drop too) → reopens at 206 → a at 207.
      expectObservable(liveLatest(s, { mode: 'push', intervalMs: 100, random: () => 0 }), '^ 300ms !').toBe('-a 153ms b 51ms a', V);
      expectSubscriptions(second.subscriptions).toBe('154ms ^-!');
      expectSubscriptions(third.subscriptions).toBe('206ms ^ 94ms !');
    });
    assert.equal(s?.polls, 0);
  });

  it('push mode: a server without push, or any non-retryable error, ends the stream', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const err = new NotFoundError(details(404));
      expectObservable(liveLatest(sources([cold('-#', undefined, err)]), { mode: 'push' })).toBe('-#', undefined, err);
      const denied = new AuthenticationError(details(401));
      expectObservable(liveLatest(sources([cold('-a-#', { a: p1 }, denied)]), { mode: 'push' })).toBe('-a-#', V, denied);
    });
  });

  it('auto mode: falls back to polling for good when the server has no push endpoint', () => {
    let s: ReturnType<typeof sources> | undefined;
    scheduler().run(({ cold, expectObservable }) => {
      const none = new PushUnavailableError('u', 'text/html');
      s = sources([cold('-#', undefined, new NotFoundError(details(404))), cold('-#', undefined, none)], [cold('-a--b', { a: p1, b: p2 })]);
      expectObservable(liveLatest(s, { intervalMs: 10 }), '^ 100ms !').toBe('--A--B', V);
    });
    assert.equal(s?.pushes, 1, 'push is not tried again');
    scheduler().run(({ cold, expectObservable }) => {
      const none = new PushUnavailableError('u', 'text/html');
      expectObservable(liveLatest(sources([cold('-#', undefined, none)], [cold('-a', { a: p1 })]))).toBe('--A', V);
    });
  });

  it('auto mode: polls while a dropped connection is reopened, and stops polling once push delivers again', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold<Point | null>('-a--#', { a: p1 }, cut);
      const second = cold<Point | null>('-b', { b: p2 });
      const poller = cold<Point | null>('-a', { a: p1 });
      const s = sources([first, second], [poller]);
      // drops at 4: polls at once (a again, now by poll at 5), reopens push at 4 + 50 = 54, b at 55.
      expectObservable(liveLatest(s, { intervalMs: 100, random: () => 0 }), '^ 200ms !').toBe('-a---A 49ms b', V);
      expectSubscriptions(poller.subscriptions).toBe('----^ 50ms !');
    });
  });

  it('auto mode: the poller\'s non-retryable error (the series is gone) ends the stream', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const gone = new NotFoundError(details(404));
      const s = sources([cold('-a#', { a: p1 }, new NotFoundError(details(404)))], [cold('-#', undefined, gone)]);
      expectObservable(liveLatest(s)).toBe('-a-#', V, gone);
    });
  });

  it('poll mode: the poller alone', () => {
    let s: ReturnType<typeof sources> | undefined;
    scheduler().run(({ cold, expectObservable }) => {
      s = sources([], [cold('-a-a-b', { a: p1, b: p2 })]);
      expectObservable(liveLatest(s, { mode: 'poll' })).toBe('-A---B', V);
    });
    assert.equal(s?.pushes, 0);
  });

  it('honours Retry-After on a 503 and closes the shared gate for it', () => {
    const gate = new PauseGate();
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const busy = cold<Point | null>('-#', undefined, new HttpError(details(503, '2')));
      const ok = cold<Point | null>('-a', { a: p1 });
      const s = sources([busy, ok]);
      expectObservable(liveLatest(s, { mode: 'push', intervalMs: 10, random: () => 0, gate }), '^ 3000ms !').toBe('- 2001ms a', V);
      expectSubscriptions(ok.subscriptions).toBe('- 2000ms ^ 999ms !');
    });
    assert.equal(gate.resumeAt, 2001, 'every other stream of the client waits until then');
  });

  it('closes everything while hidden and reconnects at once when visible', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const visible$ = hot('t--f----t', { t: true, f: false });
      const first = cold<Point | null>('-a', { a: p1 });
      const second = cold<Point | null>('-b', { b: p2 });
      const s = sources([first, second]);
      expectObservable(liveLatest(s, { visible$ }), '^ 20ms !').toBe('-a-------b', V);
      expectSubscriptions(first.subscriptions).toBe('^--!');
      expectSubscriptions(second.subscriptions).toBe('--------^ 12ms !');
    });
  });

  it('starts nothing while hidden from the start', () => {
    let s: ReturnType<typeof sources> | undefined;
    scheduler().run(({ expectObservable }) => {
      s = sources([NEVER]);
      expectObservable(liveLatest(s, { visible$: new BehaviorSubject(false) })).toBe('');
    });
    assert.equal(s?.pushes, 0);
  });

  it('an empty series is pushed as null; a connection that ends at once is retried', () => {
    let s: ReturnType<typeof sources> | undefined;
    scheduler().run(({ cold, expectObservable }) => {
      s = sources([EMPTY, cold('-n', { n: null })]);
      expectObservable(liveLatest(s, { mode: 'push', intervalMs: 10, random: () => 0 })).toBe('------n', V);
    });
    assert.equal(s?.pushes, 2);
  });

  it('unsubscribing closes the connection, the poller and the reconnect timer', () => {
    scheduler().run(({ cold, expectSubscriptions, expectObservable }) => {
      const first = cold<Point | null>('-a#', { a: p1 }, cut);
      const poller = cold<Point | null>('----', {});
      const second = cold<Point | null>('-b', { b: p2 });
      expectObservable(liveLatest(sources([first, second], [poller]), { intervalMs: 100, random: () => 0 }), '^---!').toBe('-a', V);
      expectSubscriptions(poller.subscriptions).toBe('--^-!');
      expectSubscriptions(second.subscriptions).toBe('');
    });
  });
});
