// The client-wide pause gate in virtual time: a 429/503 seen by one writer holds a poller of the same
// client until the server's time has passed; the gate never shortens; other statuses do not close it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Observable, asyncScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Point } from '../../src/codec/Point.js';
import { HttpError } from '../../src/errors/HttpError.js';
import { PauseGate } from '../../src/streams/PauseGate.js';
import { batchWriter } from '../../src/streams/batchWriter.js';
import { pollLatest, type LatestAnswer } from '../../src/streams/pollLatest.js';

const ts = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const http = (status: number, retryAfter?: string) =>
  new HttpError({ method: 'POST', url: 'u', status, body: '', headers: new Headers(retryAfter ? { 'retry-after': retryAfter } : {}) });

describe('PauseGate', () => {
  it('whenOpen waits for the pause, which only grows', () => {
    ts().run(({ expectObservable }) => {
      const gate = new PauseGate();
      gate.pauseFor(10, 0);
      gate.pauseFor(5, 0); // shorter: ignored
      expectObservable(gate.whenOpen(asyncScheduler)).toBe('10ms (x|)', { x: undefined });
    });
  });

  it('a 503 + Retry-After seen by a writer holds a poller of the same client', () => {
    ts().run(({ cold, hot, expectObservable, flush }) => {
      const gate = new PauseGate();
      const pollTimes: number[] = [];
      const fetchLatest = (): Observable<LatestAnswer> =>
        new Observable((sub) => {
          pollTimes.push(pollTimes.length);
          sub.next({ modified: true, point: [pollTimes.length, 1] as Point, etag: undefined });
          sub.complete();
        });
      const answers = [cold('-#', {}, http(503, '1')), cold('-|')];
      let calls = 0;
      const write = (): Observable<unknown> => answers[Math.min(calls++, 1)]!;
      // writer: batch sent at 0 (window 0 not used: maxBatchPoints 1), 503 at 1 → gate closed until 1001.
      expectObservable(hot('a', { a: [1, 1] as Point }).pipe(batchWriter(write, { maxBatchPoints: 1, gate, retryBaseMs: 1, random: () => 0 }))).toBe(
        '1002ms r',
        { r: { points: 1, firstTime: 1, lastTime: 1, attempts: 2, durationMs: 1002, dropped: 0, replaced: undefined } },
      );
      // poller every 400 ms: polls at 0; the poll due at 400 waits for the gate (closed at 1 until
      // 1001), then the interval goes on from there.
      const poll$ = pollLatest(fetchLatest, { intervalMs: 400, gate });
      expectObservable(poll$, '^ 1500ms !').toBe('a 1000ms b 399ms c', { a: [1, 1], b: [2, 1], c: [3, 1] });
      flush();
    });
  });

  it('pauseOn closes the gate only for 429 and 503', () => {
    const gate = new PauseGate();
    assert.equal(gate.pauseOn(http(500), 1000, 0), false);
    assert.equal(gate.pauseOn(http(502), 1000, 0), false);
    assert.equal(gate.resumeAt, -Infinity);
    assert.equal(gate.pauseOn(http(429), 1000, 0), true);
    assert.equal(gate.resumeAt, 1000);
  });
});
