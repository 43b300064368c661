// GroupCommit on its own: which writes share a commit, and who is told what. The scheduler is the
// spec's own queue of turns, so every grouping is decided here, not by the event loop's timing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCommit, type GroupOutcome } from '../../src/server/store/GroupCommit.js';

/** A GroupCommit whose turns run only when the spec says, recording each group it commits. */
function manual(commit: (inputs: readonly number[]) => readonly GroupOutcome<string>[] = (xs) => xs.map((x) => ({ ok: true, value: `v${x}` })), maxWrites?: number) {
  const turns: (() => void)[] = [];
  const groups: number[][] = [];
  const group = new GroupCommit<number, string>(
    (inputs) => {
      groups.push([...inputs]);
      return commit(inputs);
    },
    { ...(maxWrites === undefined ? {} : { maxWrites }), schedule: (flush) => void turns.push(flush) },
  );
  const turn = (): void => turns.shift()!();
  return { group, groups, turns, turn };
}

const settled = <T>(p: Promise<T>): Promise<{ value?: T; error?: string }> => p.then((value) => ({ value }), (err: Error) => ({ error: err.message }));

describe('GroupCommit', () => {
  it('commits the writes queued before a turn together, in arrival order, and settles nothing before', async () => {
    const m = manual();
    const results: string[] = [];
    const ps = [1, 2, 3].map((x) => m.group.write(x).then((v) => void results.push(v)));
    assert.equal(m.turns.length, 1, 'one turn scheduled for the three');
    await Promise.resolve();
    assert.deepEqual(results, []);
    assert.equal(m.group.pending, 3);
    m.turn();
    await Promise.all(ps);
    assert.deepEqual(m.groups, [[1, 2, 3]]);
    assert.deepEqual(results, ['v1', 'v2', 'v3']);
    const later = m.group.write(4);
    assert.equal(m.turns.length, 1, 'a write after the turn schedules a new one');
    m.turn();
    assert.equal(await later, 'v4');
    assert.deepEqual(m.groups, [[1, 2, 3], [4]]);
  });

  it('rejects only the write whose outcome failed', async () => {
    const m = manual((xs) => xs.map((x) => (x === 2 ? { ok: false, error: new Error('no such series') } : { ok: true, value: `v${x}` })));
    const ps = [1, 2, 3].map((x) => settled(m.group.write(x)));
    m.turn();
    assert.deepEqual(await Promise.all(ps), [{ value: 'v1' }, { error: 'no such series' }, { value: 'v3' }]);
  });

  it('rejects the whole group with the error when the commit throws (nothing of it applied)', async () => {
    const m = manual(() => {
      throw new Error('SQLITE_BUSY: database is locked');
    });
    const ps = [1, 2].map((x) => settled(m.group.write(x)));
    m.turn();
    assert.deepEqual(await Promise.all(ps), [{ error: 'SQLITE_BUSY: database is locked' }, { error: 'SQLITE_BUSY: database is locked' }]);
    const short = manual(() => []);
    const p = settled(short.group.write(1));
    short.turn();
    assert.match((await p).error ?? '', /answered 0 outcomes for 1 writes/);
  });

  it('takes at most maxWrites a commit and leaves the rest to the next turn, so other work runs between', async () => {
    const m = manual(undefined, 2);
    const ps = [1, 2, 3, 4, 5].map((x) => m.group.write(x));
    m.turn();
    assert.deepEqual(m.groups, [[1, 2]]);
    assert.equal(m.turns.length, 1, 'the rest rescheduled');
    m.turn();
    m.turn();
    assert.equal(m.turns.length, 0);
    assert.deepEqual(m.groups, [[1, 2], [3, 4], [5]]);
    assert.deepEqual(await Promise.all(ps), ['v1', 'v2', 'v3', 'v4', 'v5']);
  });

  it('flush commits everything queued at once, group by group (before a store closes)', async () => {
    const m = manual(undefined, 2);
    const ps = [1, 2, 3].map((x) => m.group.write(x));
    m.group.flush();
    assert.deepEqual(m.groups, [[1, 2], [3]]);
    assert.equal(m.group.pending, 0);
    assert.deepEqual(await Promise.all(ps), ['v1', 'v2', 'v3']);
    m.turn();
    assert.deepEqual(m.groups, [[1, 2], [3]], 'the turn scheduled before the flush finds nothing to commit');
  });
});
