// resumeValues (the resume logic of values$) in virtual time: resumes from the last emitted
// timestamp without duplicates or gaps, backs off, honours Retry-After, gives up after the budget,
// and passes non-transient errors, empty, never and early unsubscribe through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NEVER, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Point } from '../../src/codec/Point.js';
import { HttpError } from '../../src/errors/HttpError.js';
import { NetworkError } from '../../src/errors/NetworkError.js';
import { resumeValues } from '../../src/streams/resumeValues.js';

const ts = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const P: Record<string, Point> = { a: [1, 1], b: [2, 2], c: [3, 3], d: [4, 4] };
const http = (status: number, retryAfter?: string) =>
  new HttpError({ method: 'GET', url: 'u', status, body: '', headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) });
const dropped = () => new NetworkError('GET', 'u', Object.assign(new Error('premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
const noJitter = { retryBaseMs: 10, random: () => 1 };

describe('resumeValues', () => {
  it('resumes from the last emitted timestamp and skips what it already emitted', () => {
    ts().run(({ cold, expectObservable, flush }) => {
      const froms: (number | undefined)[] = [];
      const answers = [cold('ab#', P, dropped()), cold('bcd|', P)]; // the server repeats b (start is inclusive)
      const read = (from: number | undefined): Observable<Point> => (froms.push(from), answers[froms.length - 1]!);
      // fails at 2, backoff 10 → re-read at 12: b skipped, c at 13, d at 14.
      expectObservable(resumeValues(read, noJitter)).toBe('ab 10ms -cd|', P);
      flush();
      assert.deepEqual(froms, [undefined, 2]);
    });
  });

  it('honours Retry-After (seconds) on a 503 and backs off exponentially between failures', () => {
    ts().run(({ cold, expectObservable }) => {
      const answers = [cold('a#', P, http(503, '1')), cold<Point>('#', {}, http(502)), cold('b|', P)];
      let i = 0;
      // 503 at 1 → 1000 ms (Retry-After beats backoff 10) → 502 at 1001 → backoff 20 → b at 1021.
      expectObservable(resumeValues(() => answers[i++]!, noJitter)).toBe('a 1020ms b|', P);
    });
  });

  it('gives up after maxRetries consecutive failures without progress', () => {
    ts().run(({ cold, expectObservable }) => {
      const fail = cold<Point>('#', {}, http(504));
      // retries at 10, 30 (20 more), then the third failure is final.
      expectObservable(resumeValues(() => fail, { ...noJitter, maxRetries: 2 })).toBe('30ms #', undefined, http(504));
    });
  });

  it('a non-transient error (500, 404) errors at once', () => {
    ts().run(({ cold, expectObservable }) => {
      expectObservable(resumeValues(() => cold('a#', P, http(500)), noJitter)).toBe('a#', P, http(500));
    });
  });

  it('empty completes, never stays silent, early unsubscribe unsubscribes the read', () => {
    ts().run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(resumeValues(() => cold<Point>('|'))).toBe('|');
      expectObservable(resumeValues(() => NEVER)).toBe('');
      const slow = cold('a---b|', P);
      expectObservable(resumeValues(() => slow), '^-!').toBe('a', P);
      expectSubscriptions(slow.subscriptions).toBe('^-!');
    });
  });
});
