// The dashboard's connection state in virtual time (TestScheduler.run): connecting until the first
// answer, reconnecting at once on a failure or a dropped push stream, disconnected after
// disconnectAfterMs of failures, live again on the next answer; empty, never, error, early
// unsubscribe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestScheduler } from 'rxjs/testing';
import { connectionState } from '../../src/dashboard/connectionState.js';

const ts = () => new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));
const states = { c: 'connecting', l: 'live', r: 'reconnecting', d: 'disconnected' } as const;
const outcomes = { o: 'ok', f: 'failed', x: 'dropped' } as const;

describe('connectionState', () => {
  it('connecting, then live on the first answer, each change once', () => {
    ts().run(({ hot, expectObservable }) => {
      expectObservable(connectionState(hot('--o-o-o', outcomes))).toBe('c-l', states);
    });
  });

  it('a failure says reconnecting at once and disconnected after disconnectAfterMs of failures', () => {
    ts().run(({ hot, expectObservable }) => {
      const source = hot('5ms o 9ms f 999ms f 999ms f', outcomes);
      expectObservable(connectionState(source, { disconnectAfterMs: 2000 })).toBe('c 4ms l 9ms r 1999ms d', states);
    });
  });

  it('the first state is connecting, before any outcome', () => {
    ts().run(({ hot, expectObservable }) => {
      expectObservable(connectionState(hot('o', outcomes))).toBe('(cl)', states);
    });
  });

  it('an answer within disconnectAfterMs goes back to live and stops the timer', () => {
    ts().run(({ hot, expectObservable }) => {
      const source = hot('5ms o 9ms f 500ms o 3000ms -', outcomes);
      expectObservable(connectionState(source, { disconnectAfterMs: 2000 })).toBe('c 4ms l 9ms r 500ms l', states);
    });
  });

  it('a dropped push stream is reconnecting; a later answer recovers from disconnected', () => {
    ts().run(({ hot, expectObservable }) => {
      const source = hot('5ms o 9ms x 9ms f 2000ms f 9ms o', outcomes);
      expectObservable(connectionState(source, { disconnectAfterMs: 1000 })).toBe('c 4ms l 9ms r 999ms d 1020ms l', states);
    });
  });

  it('the default waits 2 s of failures', () => {
    ts().run(({ hot, expectObservable }) => {
      expectObservable(connectionState(hot('f', outcomes))).toBe('(cr) 1996ms d', states);
    });
  });

  it('completes and errors with its source; never stays connecting', () => {
    ts().run(({ cold, expectObservable }) => {
      expectObservable(connectionState(cold('|', outcomes))).toBe('(c|)', states);
      expectObservable(connectionState(cold('-#', outcomes, new Error('boom')))).toBe('c#', states, new Error('boom'));
      expectObservable(connectionState(cold('-', outcomes))).toBe('c', states);
    });
  });

  it('unsubscribing stops the disconnect timer', () => {
    ts().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('f 3000ms -', outcomes);
      expectObservable(connectionState(source, { disconnectAfterMs: 2000 }), '^ 999ms !').toBe('(cr)', states);
      expectSubscriptions(source.subscriptions).toBe('^ 999ms !');
    });
  });
});
