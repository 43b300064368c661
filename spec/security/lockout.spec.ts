// Hardening #11 finding 8: the authorize page's lockout (10 wrong passwords per user name, then
// 429) counted a failure only once its password check had finished, so a burst of concurrent
// guesses was checked in full: 200 at once were all checked and none got 429, and a burst that
// held the right password was accepted. An attempt now counts before the awaited check.
// Against the real server; the store is wrapped to count user look-ups, one per password check.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/server/store/Store.js';
import { FORM } from '../helpers/http.js';
import { createTestStore, startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

/** The store, with `getUserByName` counted per name and a way to wait for the n-th call. */
function countingStore(store: Store): { store: Store; checks: (name: string) => number; whenChecks: (name: string, n: number) => Promise<void> } {
  const counts = new Map<string, number>();
  const waiters: { name: string; n: number; resolve: () => void }[] = [];
  const counted = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (key !== 'getUserByName') return (value as (...args: unknown[]) => unknown).bind(target);
      return (name: string) => {
        const n = (counts.get(name) ?? 0) + 1;
        counts.set(name, n);
        for (const w of waiters) if (w.name === name && n >= w.n) w.resolve();
        return target.getUserByName(name);
      };
    },
  });
  return {
    store: counted,
    checks: (name) => counts.get(name) ?? 0,
    whenChecks: (name, n) => new Promise((resolve) => (counts.get(name) ?? 0) >= n ? resolve() : waiters.push({ name, n, resolve })),
  };
}

describe('sign-in lockout under concurrent guesses', () => {
  let srv: TestServer;
  let counter: ReturnType<typeof countingStore>;
  let cleanup: () => Promise<void>;
  let tokens = 0;

  before(async () => {
    const made = await createTestStore();
    cleanup = () => made.cleanup();
    counter = countingStore(made.store);
    srv = await startServer({ store: counter.store });
    await srv.store.createConsumer({ key: 'ck', secret: 'cs', name: 'Printer', callback: null });
  });
  after(async () => {
    await srv?.close();
    await cleanup?.();
  });

  /** A fresh request token and the hidden fields of its authorize form. */
  async function authorizeForm(): Promise<{ token: string; hidden: Record<string, string> }> {
    const token = `request-token-${++tokens}`;
    await srv.store.saveOAuthToken({ token, secret: 'rs', consumerKey: 'ck', kind: 'request', userId: null, callback: null, verifier: null, expiresAt: Math.floor(Date.now() / 1000) + 3600 });
    const page = await (await fetch(`${srv.url}/oauth/authorize/?oauth_token=${token}`)).text();
    const hidden = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    assert.ok(hidden.form_token && hidden.oauth_token === token, 'the authorize page carries its form fields');
    return { token, hidden };
  }

  const signIn = async (hidden: Record<string, string>, user: string, password: string): Promise<{ status: number; retryAfter: string | null }> => {
    const r = await fetch(`${srv.url}/oauth/authorize/`, { method: 'POST', headers: FORM, body: new URLSearchParams({ ...hidden, user, password, authorize: '1' }), redirect: 'manual' });
    await r.text();
    return { status: r.status, retryAfter: r.headers.get('retry-after') };
  };

  it('200 concurrent wrong passwords for one name: at most 10 are checked, the rest are refused with 429', async (t) => {
    const ada: TestUser = await srv.user('ada');
    const { hidden } = await authorizeForm();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => signIn(hidden, 'ada', `guess ${i}`)));
    const refused = answers.filter((a) => a.status === 429);
    const wrong = answers.filter((a) => a.status === 401);
    t.diagnostic(`${wrong.length} checked (401), ${refused.length} refused (429), ${counter.checks('ada')} look-ups`);
    assert.equal(wrong.length + refused.length, 200, `other answers: ${answers.filter((a) => a.status !== 401 && a.status !== 429).map((a) => a.status).join(', ')}`);
    assert.ok(refused.length >= 190, `${refused.length} of 200 got 429`);
    assert.ok(counter.checks('ada') <= 10, `${counter.checks('ada')} passwords were checked`);
    assert.ok(refused.every((a) => Number(a.retryAfter) > 0), 'every 429 says when to come back');
    // The right password is refused too until the lockout ends.
    assert.equal((await signIn(hidden, 'ada', ada.password)).status, 429);
    assert.ok(counter.checks('ada') <= 10);
  });

  it('a burst holding the right password after the limit is refused, and authorizes nothing', async () => {
    const bob = await srv.user('bob');
    const { token, hidden } = await authorizeForm();
    const burst = Array.from({ length: 59 }, (_, i) => signIn(hidden, 'bob', `guess ${i}`));
    // Ten guesses are being checked (each check is a ~50 ms scrypt): the right password now.
    await counter.whenChecks('bob', 10);
    const right = await signIn(hidden, 'bob', bob.password);
    const answers = await Promise.all(burst);
    assert.equal(right.status, 429, 'the right password arrived after 10 attempts and must wait out the lockout');
    assert.ok(answers.every((a) => a.status === 401 || a.status === 429));
    assert.ok(counter.checks('bob') <= 10, `${counter.checks('bob')} passwords were checked`);
    assert.equal((await srv.store.getOAuthToken(token))?.userId, null, 'the request token is still unauthorized');
    assert.equal((await signIn(hidden, 'bob', bob.password)).status, 429, 'the counter was not reset');
  });

  it('a right password within the limit still signs in, and resets the count', async () => {
    const cy = await srv.user('cy');
    const first = await authorizeForm();
    for (let i = 0; i < 9; i++) assert.equal((await signIn(first.hidden, 'cy', `guess ${i}`)).status, 401);
    assert.equal((await signIn(first.hidden, 'cy', cy.password)).status, 200);
    const second = await authorizeForm();
    for (let i = 0; i < 9; i++) assert.equal((await signIn(second.hidden, 'cy', `again ${i}`)).status, 401);
    assert.equal((await signIn(second.hidden, 'cy', cy.password)).status, 200);
  });

  it('the limit is the server options maxSignInFailures and signInLockoutSeconds', async () => {
    const strict = await startServer({ maxSignInFailures: 3, signInLockoutSeconds: 60 });
    try {
      await strict.store.createConsumer({ key: 'ck', secret: 'cs', name: 'Printer', callback: null });
      const dee = await strict.user('dee');
      const token = 'strict-request-token';
      await strict.store.saveOAuthToken({ token, secret: 'rs', consumerKey: 'ck', kind: 'request', userId: null, callback: null, verifier: null, expiresAt: Math.floor(Date.now() / 1000) + 3600 });
      const page = await (await fetch(`${strict.url}/oauth/authorize/?oauth_token=${token}`)).text();
      const hidden = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${strict.url}/oauth/authorize/`, { method: 'POST', headers: FORM, body: new URLSearchParams({ ...hidden, user: 'dee', password: `guess ${i}`, authorize: '1' }), redirect: 'manual' });
        await r.text();
        statuses.push(r.status);
        if (r.status === 429) assert.ok(Number(r.headers.get('retry-after')) <= 60);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
      void dee;
    } finally {
      await strict.close();
    }
  });
});
