// pollLatest in virtual time (TestScheduler.run): interval, ETags, distinct emission, no overlap,
// backoff with jitter and Retry-After, non-retryable errors, visibility pause, teardown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEVER, startWith, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HttpError } from '../../src/errors/HttpError.js';
import { NetworkError } from '../../src/errors/NetworkError.js';
import { pollLatest, type LatestAnswer } from '../../src/streams/pollLatest.js';

const scheduler = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const a: LatestAnswer = { modified: true, point: [1, 1], etag: 'e1' };
const b: LatestAnswer = { modified: true, point: [2, 2], etag: 'e2' };
const same: LatestAnswer = { modified: true, point: [2, 2], etag: 'e3' };
const n: LatestAnswer = { modified: false };
const http = (status: number, retryAfter?: string) =>
  new HttpError({ method: 'GET', url: 'u', status, body: '', headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) });

/** A fetchLatest that answers each request with the next observable and records the ETags sent. */
function answers(list: Observable<LatestAnswer>[]) {
  const etags: (string | undefined)[] = [];
  return { etags, fetch: (etag: string | undefined) => (etags.push(etag), list[etags.length - 1] ?? NEVER) };
}

describe('pollLatest', () => {
  it('emits the first answer, then only changes; polls intervalMs after each answer; sends the last ETag', () => {
    let etags: (string | undefined)[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const f = answers([cold('-a|', { a }), cold('-n|', { n }), cold('-b|', { b }), cold('-s|', { s: same }), NEVER]);
      etags = f.etags;
      // a at 1 (done at 2); polls at 12 (304), 24 (b at 25), 36 (same point: not emitted), 48 (never answers).
      expectObservable(pollLatest(f.fetch, { intervalMs: 10 }), '^ 60ms !').toBe('-a 23ms b', { a: a.point, b: (b as { point: unknown }).point });
    });
    assert.deepEqual(etags, [undefined, 'e1', 'e1', 'e2', 'e3']);
  });

  it('never overlaps requests: a slow answer delays the next poll', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold('-----a|', { a });
      const next = cold('-b|', { b });
      const f = answers([slow, next]);
      expectObservable(pollLatest(f.fetch, { intervalMs: 2 }), '^ 20ms !').toBe('-----a 3ms b', { a: a.point, b: (b as { point: unknown }).point });
      expectSubscriptions(slow.subscriptions).toBe('^-----!');
      expectSubscriptions(next.subscriptions).toBe('--------^-!');
    });
  });

  it('retries transient failures with exponential backoff and jitter, resetting after a success', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const fail = cold<LatestAnswer>('-#', undefined, new NetworkError('GET', 'u', new Error('reset')));
      const f = answers([fail, fail, cold('-a|', { a }), fail, cold('-b|', { b })]);
      // random() = 0 → half the exponential delay: 50, 100; after success the count resets: 50 again.
      // Fails at 1, waits 50 (100·2⁰·0.5), fails at 52, waits 100 (100·2¹·0.5), answers at 153;
      // polls at 254, fails at 255 and waits 50 again (the count reset), answers at 306.
      expectObservable(pollLatest(f.fetch, { intervalMs: 100, random: () => 0 }), '^ 1000ms !').toBe('- 152ms a 152ms b', { a: a.point, b: (b as { point: unknown }).point });
    });
  });

  it('honours Retry-After in seconds (never milliseconds), capped at maxBackoffMs', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const busy = cold<LatestAnswer>('-#', undefined, http(503, '2'));
      const ok = cold('-a|', { a });
      const f = answers([busy, ok]);
      expectObservable(pollLatest(f.fetch, { intervalMs: 10, random: () => 0 }), '^ 3000ms !').toBe('- 2001ms a', { a: a.point });
      expectSubscriptions(ok.subscriptions).toBe('- 2000ms ^-!');
    });
    scheduler().run(({ cold, expectSubscriptions }) => {
      const busy = cold<LatestAnswer>('-#', undefined, http(429, '3600'));
      const ok = cold('-a|', { a });
      const f = answers([busy, ok]);
      pollLatest(f.fetch, { intervalMs: 10, maxBackoffMs: 500 }).subscribe();
      expectSubscriptions(ok.subscriptions).toBe('- 500ms ^-!');
    });
  });

  it('ends with the error on a non-retryable status', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const err = http(404);
      const f = answers([cold('-a|', { a }), cold<LatestAnswer>('-#', undefined, err)]);
      expectObservable(pollLatest(f.fetch, { intervalMs: 5 })).toBe('-a 6ms #', { a: a.point }, err);
    });
  });

  it('makes no request while hidden and polls at once when visible again', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const visible$ = hot('10ms t', { t: true }).pipe(startWith(false));
      const f = answers([cold('-a|', { a }), NEVER]);
      expectObservable(pollLatest(f.fetch, { intervalMs: 1000, visible$ })).toBe('- 10ms a', { a: a.point });
    });
    scheduler().run(({ cold, hot, expectObservable }) => {
      // Hidden after the first answer: the due poll waits, then runs as soon as the page shows.
      const visible$ = hot('5ms f 20ms t', { f: false, t: true }).pipe(startWith(true));
      const f = answers([cold('-a|', { a }), cold('-b|', { b }), NEVER]);
      expectObservable(pollLatest(f.fetch, { intervalMs: 10, visible$ })).toBe('-a 25ms b', { a: a.point, b: (b as { point: unknown }).point });
    });
  });

  it('unsubscribing aborts the request in flight and stops the timer', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('-a|', { a });
      const second = cold('-----b|', { b });
      const f = answers([first, second]);
      expectObservable(pollLatest(f.fetch, { intervalMs: 3 }), '^ 6ms !').toBe('-a', { a: a.point });
      expectSubscriptions(second.subscriptions).toBe('-----^-!');
    });
  });

  it('an empty answer stream (no value) still schedules the next poll; never means one request only', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const empty = cold<LatestAnswer>('-|');
      const then = cold('-a|', { a });
      const f = answers([empty, then]);
      expectObservable(pollLatest(f.fetch, { intervalMs: 4 }), '^ 20ms !').toBe('------a', { a: a.point });
      expectSubscriptions(then.subscriptions).toBe('-----^-!');
    });
    const f = answers([]);
    scheduler().run(({ expectObservable }) => {
      expectObservable(pollLatest(f.fetch, { intervalMs: 1 }), '^ 50ms !').toBe('');
    });
    assert.equal(f.etags.length, 1);
  });
});
