// The retry module in virtual time (TestScheduler.run): backoff with jitter, Retry-After (seconds
// and HTTP dates, capped), the count, resetOnSuccess, the deadline, the gate, wake$, errors it
// must not retry, early unsubscribe; and checkRetryOptions' ConfigurationErrors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEVER, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ConfigurationError } from '../../src/errors/ConfigurationError.js';
import { HttpError } from '../../src/errors/HttpError.js';
import { NetworkError } from '../../src/errors/NetworkError.js';
import { isRetryable } from '../../src/streams/isRetryable.js';
import { liveLatest } from '../../src/streams/liveLatest.js';
import { PauseGate } from '../../src/streams/PauseGate.js';
import { pollLatest } from '../../src/streams/pollLatest.js';
import { resumeValues } from '../../src/streams/resumeValues.js';
import { checkRetryOptions } from '../../src/streams/retry/checkRetryOptions.js';
import { DEFAULT_RETRY_OPTIONS } from '../../src/streams/retry/RetryOptions.js';
import { retryDelay } from '../../src/streams/retry/retryDelay.js';
import { retryThroughGate } from '../../src/streams/retry/retryThroughGate.js';

const ts = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const cut = new NetworkError('POST', 'u', new Error('reset'));
const http = (status: number, retryAfter?: string) =>
  new HttpError({ method: 'POST', url: 'u', status, body: '', headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) });
/** Hands out the given observables in turn, one per attempt. */
const attempts = <T>(list: Observable<T>[]) => {
  let i = 0;
  return () => list[i++] ?? NEVER;
};
const half = { retryBaseMs: 10, maxBackoffMs: 1_000, random: () => 0 };

describe('retryDelay', () => {
  it('doubles from retryBaseMs with jitter in [0.5, 1), never below Retry-After, never above maxBackoffMs', () => {
    const p = { retryBaseMs: 100, maxBackoffMs: 1_000, random: () => 0 };
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelay(cut, n, p, 0)), [50, 100, 200, 400, 500]);
    assert.equal(retryDelay(cut, 1, { ...p, random: () => 0.999999 }, 0), 100);
    assert.equal(retryDelay(http(503, '3'), 1, p, 0), 1_000, 'Retry-After 3 s capped at maxBackoffMs');
    assert.equal(retryDelay(http(503, '0'), 2, p, 0), 100, 'Retry-After 0 leaves the backoff');
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(retryDelay(http(429, 'Thu, 01 Jan 2026 00:00:00 GMT'), 1, p, now - 700), 700, 'an HTTP date counts from now');
    assert.equal(retryDelay(http(429, 'soon'), 1, p, 0), 50, 'an unreadable Retry-After is ignored');
  });
});

describe('retryThroughGate', () => {
  it('retries what shouldRetry accepts after the backoff, and passes values and completion through', () => {
    ts().run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold<string>('-#', undefined, cut);
      const b = cold<string>('-#', undefined, cut);
      const c = cold('-x|');
      // fails at 1, waits 5 → fails at 7, waits 10 → x at 18.
      expectObservable(retryThroughGate(attempts([a, b, c]), { ...half, shouldRetry: isRetryable })).toBe('18ms x|');
      expectSubscriptions(c.subscriptions).toBe('17ms ^-!');
    });
  });

  it('gives up after maxRetries in a row with the last error; a value resets the count (resetOnSuccess)', () => {
    ts().run(({ cold, expectObservable }) => {
      const fail = cold<string>('-#', undefined, http(504));
      expectObservable(retryThroughGate(() => fail, { ...half, maxRetries: 2, shouldRetry: isRetryable })).toBe('18ms #', undefined, http(504));
      expectObservable(retryThroughGate(() => fail, { ...half, maxRetries: 0, shouldRetry: isRetryable })).toBe('-#', undefined, http(504));
      const progress = cold<string>('-v#', undefined, cut);
      // each attempt delivers a value, so the count never passes 1: waits of 5 for ever.
      expectObservable(retryThroughGate(() => progress, { ...half, maxRetries: 1, shouldRetry: isRetryable }), '^ 20ms !').toBe('-v 6ms v 6ms v');
      expectObservable(retryThroughGate(() => progress, { ...half, maxRetries: 1, resetOnSuccess: false, shouldRetry: isRetryable })).toBe('-v 6ms v#', undefined, cut);
    });
  });

  it('does not retry an error shouldRetry refuses, nor one after deadlineMs', () => {
    ts().run(({ cold, expectObservable }) => {
      expectObservable(retryThroughGate(() => cold('-#', undefined, http(400)), { ...half, shouldRetry: isRetryable })).toBe('-#', undefined, http(400));
      const fail = cold<string>('-#', undefined, cut);
      // attempts fail at 1, 7, 18 (waits 5, 10): the third failure is 18 ms after the start, past the deadline of 15.
      expectObservable(retryThroughGate(() => fail, { ...half, deadlineMs: 15, shouldRetry: isRetryable })).toBe('18ms #', undefined, cut);
    });
  });

  it('waits at the gate before every attempt, and a 429/503 closes it for the wait (Retry-After in seconds)', () => {
    const gate = new PauseGate();
    ts().run(({ cold, expectObservable, expectSubscriptions }) => {
      gate.pauseFor(3, 0);
      const busy = cold<string>('-#', undefined, http(503, '1'));
      const ok = cold('-x|');
      expectObservable(retryThroughGate(attempts([busy, ok]), { ...half, maxBackoffMs: 5_000, gate, shouldRetry: isRetryable })).toBe('1005ms x|');
      expectSubscriptions(busy.subscriptions).toBe('3ms ^!');
      expectSubscriptions(ok.subscriptions).toBe('1004ms ^-!');
    });
    assert.equal(gate.resumeAt, 1004, 'the other streams of the client wait as long');
  });

  it('wake$ ends a wait at once', () => {
    ts().run(({ cold, hot, expectObservable }) => {
      const wake$ = hot('--- 5ms w');
      const fail = cold<string>('-#', undefined, cut);
      const ok = cold('-x|');
      expectObservable(retryThroughGate(attempts([fail, ok]), { retryBaseMs: 100, maxBackoffMs: 1_000, random: () => 0, wake$, shouldRetry: isRetryable })).toBe('--- 5ms -x|');
    });
  });

  it('unsubscribing during a wait cancels it; each subscription starts a fresh count and deadline', () => {
    ts().run(({ cold, expectObservable, expectSubscriptions }) => {
      const fail = cold<string>('-#', undefined, cut);
      const ok = cold('-x|');
      expectObservable(retryThroughGate(attempts([fail, ok]), { ...half, shouldRetry: isRetryable }), '^--!').toBe('');
      expectSubscriptions(ok.subscriptions).toBe('');
      const fails = cold<string>('-#', undefined, cut);
      const once$ = retryThroughGate(() => fails, { ...half, maxRetries: 1, shouldRetry: isRetryable });
      expectObservable(once$).toBe('7ms #', undefined, cut);
      expectObservable(once$).toBe('7ms #', undefined, cut);
    });
  });
});

describe('checkRetryOptions', () => {
  it('returns a policy that works and refuses one that cannot, naming the option', () => {
    const ok = { ...DEFAULT_RETRY_OPTIONS };
    assert.equal(checkRetryOptions(ok, 'writeTo'), ok);
    assert.equal(checkRetryOptions({ ...ok, maxRetries: Infinity, retryBaseMs: 90_000 }, 'pollLatest', 'intervalMs').retryBaseMs, 90_000, 'a poll interval may exceed maxBackoffMs');
    const refused: [Partial<typeof ok>, string, RegExp][] = [
      [{ maxRetries: -1 }, 'maxRetries', /writeTo: maxRetries must be a whole number/],
      [{ maxRetries: 1.5 }, 'maxRetries', /1\.5/],
      [{ retryBaseMs: Number.NaN }, 'retryBaseMs', /retryBaseMs must be a number of ms/],
      [{ maxBackoffMs: -5 }, 'maxBackoffMs', /maxBackoffMs/],
      [{ deadlineMs: -1 }, 'deadlineMs', /deadlineMs/],
      [{ retryBaseMs: 60_000, maxBackoffMs: 30_000 }, 'retryBaseMs', /retryBaseMs \(60000\) must not exceed maxBackoffMs \(30000\)/],
      [{ random: 1 as unknown as () => number }, 'random', /random/],
      [{ scheduler: {} as typeof ok.scheduler }, 'scheduler', /SchedulerLike/],
    ];
    for (const [bad, key, message] of refused) {
      assert.throws(() => checkRetryOptions({ ...ok, ...bad }, 'writeTo'), (err: unknown) => err instanceof ConfigurationError && err.key === key && message.test(err.message));
    }
  });

  it('the streams check their options when they are built', () => {
    const refuses = (build: () => unknown, key: string) => assert.throws(build, (err: unknown) => err instanceof ConfigurationError && err.key === key);
    refuses(() => pollLatest(() => NEVER, { intervalMs: -1 }), 'intervalMs');
    refuses(() => liveLatest({ push: () => NEVER, poll: () => NEVER }, { maxBackoffMs: Number.NaN }), 'maxBackoffMs');
    refuses(() => resumeValues(() => NEVER, { maxRetries: -2 }), 'maxRetries');
    refuses(() => resumeValues(() => NEVER, { retryBaseMs: 40_000 }), 'retryBaseMs');
  });
});
