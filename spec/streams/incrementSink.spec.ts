// incrementSink (the core of incrementTo) in virtual time: windows sum increments into one request,
// one request at a time, retries only when provably not applied, never re-sends an unknown outcome.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEVER, Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HttpError } from '../../src/errors/HttpError.js';
import { NetworkError } from '../../src/errors/NetworkError.js';
import { ParseError } from '../../src/errors/ParseError.js';
import { OutcomeUnknownError } from '../../src/errors/OutcomeUnknownError.js';
import { incrementSink } from '../../src/streams/incrementSink.js';

const ts = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const http = (status: number, retryAfter?: string) =>
  new HttpError({ method: 'POST', url: 'u', status, body: '', headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) });
const refused = () => new NetworkError('POST', 'u', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
const reset = () => new NetworkError('POST', 'u', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

function sender(answers: Observable<unknown>[]) {
  const sent: number[] = [];
  const keys: (string | undefined)[] = [];
  const send = (amount: number, key?: string): Observable<unknown> => {
    sent.push(amount);
    keys.push(key);
    return answers[Math.min(sent.length - 1, answers.length - 1)]!;
  };
  return { sent, keys, send };
}

describe('incrementSink', () => {
  it('sums the increments of one window into one request, sent when the window ends', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, send } = sender([cold('-|')]);
      const src = hot('  a-b-c 7ms d|', { a: 1, b: 2, c: -0.5, d: 4 });
      // window of 10 ms from a (frame 0): sent at 10, acknowledged at 11; d at 12 opens a new
      // window, but the source completes at 13 so it is sent at once.
      expectObservable(src.pipe(incrementSink(send, { windowMs: 10 }))).toBe('-----------x--(y|)', {
        x: { amount: 2.5, increments: 3, attempts: 1, durationMs: 1 },
        y: { amount: 4, increments: 1, attempts: 1, durationMs: 1 },
      });
      flush();
      assert.deepEqual(sent, [2.5, 4]);
    });
  });

  it('a lone increment is sent after the window, not when the next arrives', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, send } = sender([cold('-|')]);
      expectObservable(hot('a', { a: 1 }).pipe(incrementSink(send, { windowMs: 5 }))).toBe('------x', {
        x: { amount: 1, increments: 1, attempts: 1, durationMs: 1 },
      });
      flush();
      assert.deepEqual(sent, [1]);
    });
  });

  it('never overlaps requests: increments arriving in flight wait for the acknowledgement', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, send } = sender([cold('----|')]);
      const src = hot('a-b-c-', { a: 1, b: 1, c: 1 });
      // window 1 ms: a sent at 1, acked at 5; b (2) and c (4) sum: window closed at 3, sent at 5.
      expectObservable(src.pipe(incrementSink(send, { windowMs: 1 }))).toBe('-----x---y', {
        x: { amount: 1, increments: 1, attempts: 1, durationMs: 4 },
        y: { amount: 2, increments: 2, attempts: 1, durationMs: 4 },
      });
      flush();
      assert.deepEqual(sent, [1, 2]);
    });
  });

  it('retries 503 after Retry-After (seconds) and a refused connection with backoff', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, send } = sender([cold('-#', {}, http(503, '2')), cold('#', {}, refused()), cold('-|')]);
      // sent at 1, fails at 2, waits max(Retry-After 2 s, backoff) = 2000, fails at once at 2002,
      // second backoff 200 (100 doubled, no jitter) → 2202, acknowledged at 2203.
      expectObservable(hot('a|', { a: 3 }).pipe(incrementSink(send, { windowMs: 1, retryBaseMs: 100, random: () => 1 }))).toBe(
        '2203ms (x|)',
        { x: { amount: 3, increments: 1, attempts: 3, durationMs: 2202 } },
      );
      flush();
      assert.deepEqual(sent, [3, 3, 3]);
    });
  });

  it('without keys, never re-sends an increment whose outcome is unknown: OutcomeUnknownError with the amount', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, keys, send } = sender([cold('--#', {}, reset())]);
      expectObservable(hot('a-b', { a: 2, b: 5 }).pipe(incrementSink(send, { windowMs: 1, idempotencyKeys: false }))).toBe(
        '---#',
        undefined,
        new OutcomeUnknownError(2, 5, reset()),
      );
      flush();
      assert.deepEqual(sent, [2]);
      assert.deepEqual(keys, [undefined]);
    });
  });

  it('with keys (the default), re-sends an unknown outcome under the same key; each window has its own', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, keys, send } = sender([cold('--#', {}, reset()), cold('-|'), cold('-|')]);
      let n = 0;
      const newKey = () => `key-${++n}`;
      // a: sent at 1, reset at 3, retried after 100 ms (no jitter) at 103, acked at 104; b (2) waits.
      expectObservable(hot('a-b|', { a: 2, b: 5 }).pipe(incrementSink(send, { windowMs: 1, retryBaseMs: 100, random: () => 1, newKey }))).toBe('104ms x 0ms (y|)', {
        x: { amount: 2, increments: 1, attempts: 2, durationMs: 103 },
        y: { amount: 5, increments: 1, attempts: 1, durationMs: 1 },
      });
      flush();
      assert.deepEqual(sent, [2, 2, 5]);
      assert.deepEqual(keys, ['key-1', 'key-1', 'key-2']);
    });
  });

  it('with keys, an unknown outcome past idempotencyWindowMs is an OutcomeUnknownError, not re-sent', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, send } = sender([cold('50ms #', {}, reset())]);
      expectObservable(hot('a', { a: 2 }).pipe(incrementSink(send, { windowMs: 1, idempotencyWindowMs: 40 }))).toBe('51ms #', undefined, new OutcomeUnknownError(2, 0, reset()));
      flush();
      assert.deepEqual(sent, [2]);
    });
  });

  it('a definite refusal (400) errors with that error and is not retried', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const { sent, send } = sender([cold('#', {}, http(400))]);
      expectObservable(hot('a', { a: 1 }).pipe(incrementSink(send, { windowMs: 2 }))).toBe('--#', undefined, http(400));
      flush();
      assert.deepEqual(sent, [1]);
    });
  });

  it('empty completes at once, never never emits, a source error is passed on after the flush', () => {
    ts().run(({ cold, hot, expectObservable }) => {
      const { send } = sender([cold('-|')]);
      expectObservable(cold<number>('|').pipe(incrementSink(send))).toBe('|');
      expectObservable(NEVER.pipe(incrementSink(send))).toBe('');
      expectObservable(hot('a#', { a: 7 }, new Error('boom')).pipe(incrementSink(send, { windowMs: 50 }))).toBe('--(x#)', { x: { amount: 7, increments: 1, attempts: 1, durationMs: 1 } }, new Error('boom'));
    });
  });

  it('unsubscribing early aborts the request in flight and drops the open window', () => {
    ts().run(({ cold, hot, expectObservable, expectSubscriptions, flush }) => {
      const answer = cold('-----|');
      const { sent, send } = sender([answer]);
      expectObservable(hot('a--b', { a: 1, b: 1 }).pipe(incrementSink(send, { windowMs: 1 })), '^--!').toBe('');
      expectSubscriptions(answer.subscriptions).toBe('-^-!');
      flush();
      assert.deepEqual(sent, [1]);
    });
  });

  it('refuses a non-finite increment with a ParseError', () => {
    ts().run(({ cold, hot, expectObservable }) => {
      const { send } = sender([cold('-|')]);
      expectObservable(hot('a', { a: Number.NaN }).pipe(incrementSink(send)), '^').toBe('#', undefined, new ParseError('increment must be a finite number, got NaN', { text: 'NaN' }));
    });
  });
});
