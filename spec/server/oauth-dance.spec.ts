// The three-legged OAuth dance (1.0 as the historical client does it, and 1.0a), end to end against
// the real server over a socket: request token, the HTML authorize form driven with plain fetch
// POSTs, access token, then signed requests to series endpoints. Client-side signing uses the
// oauth-1.0a package as a consumer would.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it, before, after } from 'node:test';
import OAuth from 'oauth-1.0a';
import { createSeries } from '../helpers/http.js';
import { createTestStore, startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const CONSUMER = { key: 'printer-key', secret: 'printer&secret' };
// The server clock starts at the real time (the signing library stamps requests with it) and is moved by hand.
let now = Math.floor(Date.now() / 1000);
const clock = (): number => now;

function client(consumer = CONSUMER): OAuth {
  return new OAuth({
    consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
}

type Place = 'header' | 'query' | 'body';
interface SignOptions {
  token?: { key: string; secret: string } | undefined;
  /** Extra oauth_* parameters (oauth_callback, oauth_verifier). */
  extra?: Record<string, string>;
  /** Form fields of an urlencoded body. */
  form?: Record<string, string>;
  place?: Place;
  consumer?: { key: string; secret: string };
  timestamp?: number;
}

/** Signs and sends a request the way an OAuth consumer library would. */
async function signed(base: string, method: 'GET' | 'POST', path: string, o: SignOptions = {}): Promise<Response> {
  const oauth = client(o.consumer);
  const url = `${base}${path}`;
  const data: Record<string, string> = { ...o.form, ...o.extra };
  const auth = oauth.authorize({ url, method, data }, o.token) as unknown as Record<string, string>;
  if (o.timestamp !== undefined) {
    auth.oauth_timestamp = String(o.timestamp);
    delete auth.oauth_signature;
    auth.oauth_signature = oauth.getSignature({ url, method, data }, o.token?.secret, auth as unknown as OAuth.Data);
  }
  // The library merges the request's data into what it returns: keep the protocol parameters only.
  const protocol: Record<string, string> = Object.fromEntries(Object.entries({ ...auth, ...o.extra }).filter(([k]) => k.startsWith('oauth_')));
  const place = o.place ?? 'header';
  const headers: Record<string, string> = {};
  let target = url;
  let body: string | undefined;
  const form = new URLSearchParams(o.form);
  if (place === 'header') headers.authorization = oauth.toHeader(protocol as unknown as OAuth.Authorization).Authorization;
  else if (place === 'query') target += (url.includes('?') ? '&' : '?') + new URLSearchParams(protocol).toString();
  else for (const [k, v] of Object.entries(protocol)) form.set(k, v);
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = form.toString();
  }
  return fetch(target, { method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
}

const formOf = async (res: Response): Promise<Record<string, string>> => Object.fromEntries(new URLSearchParams(await res.text()));

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]!] = m[2]!.replace(/&#(\d+);/g, (_s, c: string) => String.fromCharCode(Number(c)));
  }
  return fields;
}

const postForm = (url: string, fields: Record<string, string>): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });

describe('OAuth three-legged dance over a real socket', () => {
  let srv: TestServer;
  let base = '';
  let ada: TestUser;
  /** A private series of ada's: only she may read or write it. */
  let series = '';
  let probe = '';

  before(async () => {
    srv = await startServer({ clock });
    base = srv.url;
    ada = await srv.user('ada');
    await srv.store.createConsumer({ ...CONSUMER, name: 'Printer <b>&"co"</b>', callback: null });
    series = await createSeries(base, ada.basic);
    probe = `/series/${series}/value/json/`;
  });
  after(async () => {
    await srv.close();
  });

  /** Request token → authorize form → access token; returns the access token. */
  async function dance(version: '1.0' | '1.0a', place: Place): Promise<{ key: string; secret: string }> {
    const callback = 'http://printer.example/ready?job=7';
    const rt = await signed(base, place === 'query' ? 'GET' : 'POST', '/oauth/request_token/', {
      place,
      ...(version === '1.0a' ? { extra: { oauth_callback: callback } } : {}),
    });
    assert.equal(rt.status, 200, await rt.clone().text());
    assert.match(rt.headers.get('content-type') ?? '', /^application\/x-www-form-urlencoded/);
    const request = await formOf(rt);
    assert.equal(request.oauth_callback_confirmed, version === '1.0a' ? 'true' : undefined);
    const requestToken = { key: request.oauth_token!, secret: request.oauth_token_secret! };

    // 1.0 puts the callback on the authorize URL instead.
    const authorizeUrl = `${base}/oauth/authorize/?oauth_token=${encodeURIComponent(requestToken.key)}` +
      (version === '1.0' ? `&oauth_callback=${encodeURIComponent(callback)}` : '');
    const page = await fetch(authorizeUrl);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /authorize access/);
    assert.match(html, /Printer &#60;b&#62;&#38;&#34;co&#34;&#60;\/b&#62;/, 'consumer name HTML-escaped');
    assert.doesNotMatch(html, /<b>&"co"/);
    const hidden = hiddenFields(html);
    assert.equal(hidden.oauth_token, requestToken.key);

    // Access before authorization is refused.
    const early = await signed(base, 'POST', '/oauth/access_token/', { token: requestToken, place });
    assert.equal(early.status, 401);

    const wrong = await postForm(`${base}/oauth/authorize/`, { ...hidden, user: 'ada', password: 'nope', authorize: '1' });
    assert.equal(wrong.status, 401);
    assert.match(await wrong.text(), /Wrong user name or password[\s\S]*<form/);
    const unticked = await postForm(`${base}/oauth/authorize/`, { ...hidden, user: 'ada', password: ada.password });
    assert.equal(unticked.status, 400);
    assert.match(await unticked.text(), /Tick &#34;authorize access&#34;/);
    const unbound = await postForm(`${base}/oauth/authorize/`, { ...hidden, form_token: 'x', user: 'ada', password: ada.password, authorize: '1' });
    assert.equal(unbound.status, 400, 'a post not bound to this request token is refused');

    const ok = await postForm(`${base}/oauth/authorize/`, { ...hidden, user: 'ada', password: ada.password, authorize: '1' });
    assert.equal(ok.status, 303);
    const location = new URL(ok.headers.get('location')!);
    assert.equal(location.origin + location.pathname, 'http://printer.example/ready');
    assert.equal(location.searchParams.get('job'), '7', 'existing callback query kept');
    assert.equal(location.searchParams.get('oauth_token'), requestToken.key);
    const verifier = location.searchParams.get('oauth_verifier');
    assert.equal(verifier === null, version === '1.0');

    const again = await postForm(`${base}/oauth/authorize/`, { ...hidden, user: 'ada', password: ada.password, authorize: '1' });
    assert.equal(again.status, 400, 'a request token is authorized once');

    if (version === '1.0a') {
      const missing = await signed(base, 'POST', '/oauth/access_token/', { token: requestToken, place });
      assert.equal(missing.status, 401);
      assert.match(await missing.text(), /oauth_verifier is missing/);
      const bad = await signed(base, 'POST', '/oauth/access_token/', { token: requestToken, place, extra: { oauth_verifier: 'guess' } });
      assert.equal(bad.status, 401);
    }
    const at = await signed(base, place === 'query' ? 'GET' : 'POST', '/oauth/access_token/', {
      token: requestToken,
      place,
      ...(verifier === null ? {} : { extra: { oauth_verifier: verifier } }),
    });
    assert.equal(at.status, 200, await at.clone().text());
    const access = await formOf(at);
    assert.deepEqual(Object.keys(access).sort(), ['oauth_token', 'oauth_token_secret']);

    const reuse = await signed(base, 'POST', '/oauth/access_token/', {
      token: requestToken,
      place,
      ...(verifier === null ? {} : { extra: { oauth_verifier: verifier } }),
    });
    assert.equal(reuse.status, 401, 'a request token is exchanged once');
    return { key: access.oauth_token!, secret: access.oauth_token_secret! };
  }

  for (const [version, place] of [['1.0', 'query'], ['1.0a', 'header'], ['1.0a', 'body']] as const) {
    it(`OAuth ${version} with parameters in the ${place}, then signed requests as the user`, async () => {
      const access = await dance(version, place);
      for (const p of ['header', 'query', 'body'] as const) {
        const read = await signed(base, 'GET', probe, { token: access, place: p === 'body' ? 'header' : p });
        assert.equal(read.status, 200, `${p}: ${await read.clone().text()}`);
        const write = await signed(base, 'POST', `/series/${series}/`, { token: access, place: p, form: { value: '3.5' } });
        assert.equal(write.status, 204, `${p}: ${await write.clone().text()}`);
      }
      // A slash-less write is signed over the URL as sent, though the server routes it with the slash.
      const slashless = await signed(base, 'POST', `/series/${series}`, { token: access, form: { value: '4.5' } });
      assert.equal(slashless.status, 204, await slashless.clone().text());
      const latest = (await (await signed(base, 'GET', probe, { token: access })).json()) as { value: unknown };
      assert.equal(latest.value, 4.5);
    });
  }

  it('refuses replays, stale timestamps, wrong consumer secrets, unknown consumers and tampered bodies', async () => {
    const access = await dance('1.0a', 'header');
    // A replay: the very same signed request twice.
    const oauth = client();
    const url = `${base}${probe}`;
    const header = oauth.toHeader(oauth.authorize({ url, method: 'GET' }, access)).Authorization;
    assert.equal((await fetch(url, { headers: { authorization: header } })).status, 200);
    const replay = await fetch(url, { headers: { authorization: header } });
    assert.equal(replay.status, 401);
    assert.match(await replay.text(), /nonce has been used/);

    const stale = await signed(base, 'GET', probe, { token: access, timestamp: now - 301 });
    assert.equal(stale.status, 401);
    assert.match(await stale.text(), /more than 300 s/);
    const fresh = await signed(base, 'GET', probe, { token: access, timestamp: now - 299 });
    assert.equal(fresh.status, 200);

    const wrongSecret = await signed(base, 'GET', probe, { token: access, consumer: { key: CONSUMER.key, secret: 'not it' } });
    assert.equal(wrongSecret.status, 401);
    assert.match(await wrongSecret.text(), /invalid OAuth signature/);
    const wrongTokenSecret = await signed(base, 'GET', probe, { token: { key: access.key, secret: 'not it' } });
    assert.equal(wrongTokenSecret.status, 401);
    const unknown = await signed(base, 'GET', probe, { token: access, consumer: { key: 'nobody', secret: 'x' } });
    assert.equal(unknown.status, 401);

    // Form fields are signed: changing one after signing breaks the signature.
    const write = `${base}/series/${series}/`;
    const oauth2 = client();
    const auth = oauth2.authorize({ url: write, method: 'POST', data: { value: '1' } }, access);
    const tampered = await fetch(write, {
      method: 'POST',
      headers: { authorization: oauth2.toHeader(auth).Authorization, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'value=2',
    });
    assert.equal(tampered.status, 401);
    assert.match(tampered.headers.get('www-authenticate') ?? '', /realm=/);
  });

  it("keeps users apart: another user's access token cannot see ada's private series", async () => {
    const bob = await srv.user('bob');
    const rt = await formOf(await signed(base, 'POST', '/oauth/request_token/'));
    const page = await (await fetch(`${base}/oauth/authorize/?oauth_token=${rt.oauth_token}`)).text();
    assert.equal((await postForm(`${base}/oauth/authorize/`, { ...hiddenFields(page), user: 'bob', password: bob.password, authorize: '1' })).status, 200);
    const at = await formOf(await signed(base, 'GET', '/oauth/access_token/', { token: { key: rt.oauth_token!, secret: rt.oauth_token_secret! } }));
    const res = await signed(base, 'GET', probe, { token: { key: at.oauth_token!, secret: at.oauth_token_secret! } });
    assert.equal(res.status, 404);
    const own = await createSeries(base, bob.basic);
    assert.equal((await signed(base, 'GET', `/series/${own}/value/json/`, { token: { key: at.oauth_token!, secret: at.oauth_token_secret! } })).status, 200);
  });

  it('refuses a user name after 10 wrong passwords on the authorize page, for 15 minutes', async () => {
    const carol = await srv.user('carol');
    const rt = await formOf(await signed(base, 'POST', '/oauth/request_token/'));
    const hidden = hiddenFields(await (await fetch(`${base}/oauth/authorize/?oauth_token=${rt.oauth_token}`)).text());
    for (let i = 0; i < 10; i++) {
      assert.equal((await postForm(`${base}/oauth/authorize/`, { ...hidden, user: 'carol', password: `guess ${i}`, authorize: '1' })).status, 401);
    }
    const locked = await postForm(`${base}/oauth/authorize/`, { ...hidden, user: 'carol', password: carol.password, authorize: '1' });
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.match(await locked.text(), /Too many wrong passwords/);
    now += 901;
    try {
      const ok = await postForm(`${base}/oauth/authorize/`, { ...hidden, user: 'carol', password: carol.password, authorize: '1' });
      assert.equal(ok.status, 200);
    } finally {
      now -= 901;
    }
  });

  it('accepts the historical multipart /create/ signed with or without its text fields', async () => {
    const access = await dance('1.0', 'query');
    const url = `${base}/create/`;
    for (const withFields of [true, false]) {
      const fields = { title: `Power ${withFields}`, caption: 'kW' };
      const oauth = client();
      const auth = oauth.authorize({ url, method: 'POST', data: withFields ? fields : {} }, access);
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      body.append('csv', new Blob(['1300000000,1.5\n1300000060,2.5\n'], { type: 'text/csv' }), 'data.csv');
      const res = await fetch(url, { method: 'POST', headers: { authorization: oauth.toHeader(auth).Authorization }, body, redirect: 'manual' });
      assert.equal(res.status, 303, `with fields ${withFields}: ${await res.text()}`);
      const id = new URL(res.headers.get('location')!).pathname.split('/')[2]!;
      const csv = await signed(base, 'GET', `/series/${id}/csv/`, { token: access });
      assert.equal(await csv.text(), '1300000000,1.5\n1300000060,2.5\n');
    }
    // Signed over other field values: refused, nothing created.
    const oauth = client();
    const auth = oauth.authorize({ url, method: 'POST', data: { title: 'Other', caption: 'kW' } }, access);
    const body = new FormData();
    body.append('title', 'Power');
    body.append('caption', 'kW');
    const res = await fetch(url, { method: 'POST', headers: { authorization: oauth.toHeader(auth).Authorization }, body, redirect: 'manual' });
    assert.equal(res.status, 401);
  });

  it('refuses a request-token request with a token, or a bad callback; expires request tokens', async () => {
    const withToken = await signed(base, 'POST', '/oauth/request_token', { token: { key: 'x', secret: 'y' } });
    assert.equal(withToken.status, 401);
    assert.match(withToken.headers.get('www-authenticate') ?? '', /^OAuth realm=/);
    const badCallback = await signed(base, 'POST', '/oauth/request_token', { extra: { oauth_callback: 'javascript:alert(1)' } });
    assert.equal(badCallback.status, 400, await badCallback.clone().text());

    const rt = await formOf(await signed(base, 'GET', '/oauth/request_token', { place: 'query' }));
    now += 3601;
    try {
      const page = await fetch(`${base}/oauth/authorize?oauth_token=${rt.oauth_token}`);
      assert.equal(page.status, 400);
      assert.match(await page.text(), /unknown or has expired/);
    } finally {
      now -= 3601;
    }
    const unknown = await fetch(`${base}/oauth/authorize/?oauth_token=%3Cscript%3E`);
    assert.equal(unknown.status, 400);
    assert.doesNotMatch(await unknown.text(), /<script>/);
  });

  it('shows the verifier when a 1.0a consumer is out of band, and an "authorized" page for 1.0 without callback', async () => {
    const oob = await formOf(await signed(base, 'POST', '/oauth/request_token/', { extra: { oauth_callback: 'oob' } }));
    const page = await (await fetch(`${base}/oauth/authorize/?oauth_token=${oob.oauth_token}`)).text();
    const done = await postForm(`${base}/oauth/authorize/`, { ...hiddenFields(page), user: 'ada', password: ada.password, authorize: 'on' });
    assert.equal(done.status, 200);
    const text = await done.text();
    const verifier = /<code>([^<]+)<\/code>/.exec(text)?.[1];
    assert.ok(verifier, text);
    const at = await signed(base, 'POST', '/oauth/access_token/', { token: { key: oob.oauth_token!, secret: oob.oauth_token_secret! }, extra: { oauth_verifier: verifier } });
    assert.equal(at.status, 200);

    const plain = await formOf(await signed(base, 'POST', '/oauth/request_token/'));
    const page2 = await (await fetch(`${base}/oauth/authorize/?oauth_token=${plain.oauth_token}`)).text();
    const done2 = await postForm(`${base}/oauth/authorize/`, { ...hiddenFields(page2), user: 'ada', password: ada.password, authorize: 'on' });
    assert.equal(done2.status, 200);
    assert.match(await done2.text(), /may now access your series/);
    assert.equal(done2.headers.get('x-frame-options'), 'DENY');
    // form-action would stop browsers from following the redirect to the application's callback.
    assert.doesNotMatch(done2.headers.get('content-security-policy') ?? '', /form-action/);
    assert.match(done2.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });
});

describe('OAuth access-token exchange under a race', () => {
  it('issues one access token when two exchanges of the same request token race', async () => {
    // Token lookups yield to the event loop (as a database round trip does), so racing exchanges
    // all see the request token before any of them deletes it.
    const made = await createTestStore();
    const store = {
      ...made.store,
      getOAuthToken: async (t: string) => {
        const found = await made.store.getOAuthToken(t);
        await new Promise((r) => setTimeout(r, 50));
        return found;
      },
    };
    const srv = await startServer({ clock, store });
    try {
      const user = await srv.user('racer');
      await srv.store.createConsumer({ ...CONSUMER, name: 'racer app', callback: null });
      const rt = await formOf(await signed(srv.url, 'POST', '/oauth/request_token/'));
      const page = await (await fetch(`${srv.url}/oauth/authorize/?oauth_token=${rt.oauth_token}`)).text();
      await postForm(`${srv.url}/oauth/authorize/`, { ...hiddenFields(page), user: user.name, password: user.password, authorize: '1' });
      const token = { key: rt.oauth_token!, secret: rt.oauth_token_secret! };
      const answers = await Promise.all(Array.from({ length: 6 }, () => signed(srv.url, 'POST', '/oauth/access_token/', { token })));
      assert.deepEqual(answers.map((r) => r.status).sort(), [200, 401, 401, 401, 401, 401]);
    } finally {
      await srv.close();
      await made.cleanup();
    }
  });
});
