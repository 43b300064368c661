// liveDownsampled in virtual time (TestScheduler): the history read up to the bucket of the first
// latest point, that bucket from its raw points, then the last bucket updated in place as points
// arrive and a new one opened when time moves on; points arriving while the history loads, repeats
// of the current point, an empty series, errors, completion and unsubscribing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { Point } from '../../src/codec/Point.js';
import { liveDownsampled, type LiveWindowSources } from '../../src/streams/liveDownsampled.js';

const scheduler = (): TestScheduler => new TestScheduler((a, b) => assert.deepStrictEqual(a, b));

describe('liveDownsampled', () => {
  it('history, then the open bucket updated in place and a new bucket when time moves on', () => {
    const asked: string[] = [];
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const history = cold<Point>('--a-b|', { a: [0, 5], b: [60, 7] });
      const raw = cold<Point>('-x-y|', { x: [120, 2], y: [130, 4] });
      const latest$ = hot<Point | null>('^-p---------q--r--s-t', { p: [130, 4], q: [140, 6], r: [130, 4], s: [185, 1], t: [200, 3] });
      const sources: LiveWindowSources = {
        history: (end) => (asked.push(`history<${end}`), history),
        raw: (from) => (asked.push(`raw>=${from}`), raw),
        latest$,
      };
      expectObservable(liveDownsampled(sources, { start: 0, every: 60, agg: 'mean' })).toBe('-----------wx-----y-z', {
        w: [[0, 5], [60, 7], [120, 3]],
        x: [[0, 5], [60, 7], [120, 4]],
        y: [[0, 5], [60, 7], [120, 4], [180, 1]],
        z: [[0, 5], [60, 7], [120, 4], [180, 2]],
      });
      expectSubscriptions(history.subscriptions).toBe('--^----!');
      expectSubscriptions(raw.subscriptions).toBe('-------^---!');
    });
    assert.deepStrictEqual(asked, ['history<120', 'raw>=120']);
  });

  it('asks for the history before the first point’s bucket and its raw points from there', () => {
    const asked: string[] = [];
    scheduler().run(({ cold, hot, expectObservable }) => {
      const sources: LiveWindowSources = {
        history: (end) => (asked.push(`history<${end}`), cold<Point>('|')),
        raw: (from) => (asked.push(`raw>=${from}`), cold<Point>('a|', { a: [3601, 1] })),
        latest$: hot<Point | null>('^a', { a: [3601, 1] }),
      };
      expectObservable(liveDownsampled(sources, { start: 0, every: 3600, agg: 'count' })).toBe('--a', { a: [[3600, 1]] });
    });
    assert.deepStrictEqual(asked, ['history<3600', 'raw>=3600']);
  });

  it('points that arrive while loading are applied after it, those already read are not counted twice', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const sources: LiveWindowSources = {
        history: () => cold<Point>('----|'),
        raw: () => cold<Point>('---a-b|', { a: [100, 1], b: [110, 2] }),
        // 110 arrives while the raw read is under way (the read has it too), 115 after it was read.
        latest$: hot<Point | null>('^a---b--c----d', { a: [100, 1], b: [110, 2], c: [115, 3], d: [115, 3] }),
      };
      expectObservable(liveDownsampled(sources, { start: 0, every: 60, agg: 'sum' })).toBe('-----------x', { x: [[60, 6]] });
    });
  });

  it('an empty series: no history read; an empty window, then the first bucket', () => {
    const asked: string[] = [];
    scheduler().run(({ cold, hot, expectObservable }) => {
      const sources: LiveWindowSources = {
        history: (end) => (asked.push(`history<${end}`), cold<Point>('|')),
        raw: (from) => (asked.push(`raw>=${from}`), cold<Point>('|')),
        latest$: hot<Point | null>('^n--a-b', { n: null, a: [1000, 5], b: [1001, null] }),
      };
      expectObservable(liveDownsampled(sources, { start: 900, every: 60, agg: 'count' })).toBe('-e--a-b', { e: [], a: [[960, 1]], b: [[960, 2]] });
    });
    assert.deepStrictEqual(asked, ['raw>=900']);
  });

  it('completes when latest$ does (after loading), errors with any source, unsubscribing stops the reads', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const raw = cold<Point>('--a|', { a: [10, 1] });
      const done: LiveWindowSources = { history: () => cold('|'), raw: () => raw, latest$: hot<Point | null>('^a|', { a: [10, 1] }) };
      expectObservable(liveDownsampled(done, { start: 0, every: 60 })).toBe('----(a|)', { a: [[0, 1]] });
      const readFailed = new Error('read failed');
      const failing: LiveWindowSources = { history: () => cold('|'), raw: () => cold<Point>('-#', {}, readFailed), latest$: hot<Point | null>('^a', { a: [10, 1] }) };
      expectObservable(liveDownsampled(failing, { start: 0, every: 60 })).toBe('--#', {}, readFailed);
      const pushFailed = new Error('push failed');
      const broken: LiveWindowSources = { history: () => cold('|'), raw: () => cold('|'), latest$: hot<Point | null>('^-#', {}, pushFailed) };
      expectObservable(liveDownsampled(broken, { start: 0, every: 60 })).toBe('--#', {}, pushFailed);
      const slow = cold<Point>('-----a|', { a: [10, 1] });
      const left: LiveWindowSources = { history: () => cold('|'), raw: () => slow, latest$: hot<Point | null>('^a', { a: [10, 1] }) };
      expectObservable(liveDownsampled(left, { start: 0, every: 60 }), '^--!').toBe('');
      expectSubscriptions(slow.subscriptions).toBe('-^-!');
    });
  });

  it('each subscriber gets its own read', () => {
    let reads = 0;
    const sources: LiveWindowSources = {
      history: () => new Observable<Point>((s) => s.complete()),
      raw: () => new Observable<Point>((s) => (reads++, s.complete())),
      latest$: new Observable<Point | null>((s) => s.next([5, 1])),
    };
    const window$ = liveDownsampled(sources, { start: 0, every: 60 });
    const got: (readonly Point[])[] = [];
    window$.subscribe((w) => got.push(w)).unsubscribe();
    window$.subscribe((w) => got.push(w)).unsubscribe();
    assert.equal(reads, 2);
    assert.deepStrictEqual(got, [[], []]);
  });
});
