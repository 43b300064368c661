// The sign-in lockout on its own, with an injected clock: counts attempts as they start, refuses a
// name once it has maxFailures until lockoutSeconds after its first attempt, forgets on success and
// on expiry, and stays within maxNames.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignInLockout } from '../../src/server/auth/oauth/SignInLockout.js';

describe('SignInLockout', () => {
  it('refuses a name after maxFailures attempts, for the rest of lockoutSeconds from the first', () => {
    let now = 1_000;
    const lockout = new SignInLockout({ maxFailures: 3, lockoutSeconds: 60, clock: () => now });
    for (let i = 0; i < 3; i++) {
      assert.equal(lockout.lockedFor('alice'), 0);
      lockout.attempt('alice');
      now += 10;
    }
    assert.equal(lockout.lockedFor('alice'), 30, '60 s from the first attempt at 1,000, now 1,030');
    assert.equal(lockout.lockedFor('bob'), 0, 'per name');
    now = 1_059.5;
    assert.equal(lockout.lockedFor('alice'), 1, 'rounded up');
    now = 1_060;
    assert.equal(lockout.lockedFor('alice'), 0, 'over: forgotten');
    assert.equal(lockout.size, 0);
  });

  it('a right password starts the count again', () => {
    const lockout = new SignInLockout({ maxFailures: 2, clock: () => 0 });
    lockout.attempt('alice');
    lockout.succeeded('alice');
    lockout.attempt('alice');
    assert.equal(lockout.lockedFor('alice'), 0);
    lockout.attempt('alice');
    assert.equal(lockout.lockedFor('alice'), 900, 'default lockoutSeconds');
  });

  it('keeps at most maxNames names besides the one arriving, expired ones out first, then the oldest', () => {
    let now = 0;
    const lockout = new SignInLockout({ maxFailures: 1, lockoutSeconds: 100, maxNames: 3, clock: () => now });
    for (const name of ['a', 'b', 'c', 'd']) lockout.attempt(name);
    assert.equal(lockout.size, 4, 'one over, until the next attempt');
    now = 50;
    lockout.attempt('e');
    assert.equal(lockout.size, 4);
    assert.equal(lockout.lockedFor('a'), 0, 'the oldest went first');
    assert.equal(lockout.lockedFor('b'), 50);
    assert.equal(lockout.lockedFor('e'), 100);
    now = 120;
    lockout.attempt('f');
    assert.deepEqual(['b', 'c', 'd', 'e', 'f'].map((n) => lockout.lockedFor(n)), [0, 0, 0, 30, 100], 'the expired went before any live one');
  });
});
