// The three-legged OAuth dance from the client's side (1.0 as the historical client did it, and
// 1.0a), with the authorize step driven through the server's HTML form; then OAuth-signed
// operations; and wrong credentials.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom } from 'rxjs';
import { AuthenticationError, ConfigurationError, TimetricClient, type TimetricConfig } from '../../src/index.js';
import { authorizeThroughForm } from '../helpers/authorizeForm.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let carol: TestUser;
const consumer = { key: 'dashboard-app', secret: 'dashboard&secret' };
before(async () => {
  t = await startServer();
  carol = await t.user('oauth-carol');
  await t.store.createConsumer({ key: consumer.key, secret: consumer.secret, name: 'Dashboard', callback: null });
});
after(() => t.close());

const oauthConfig = (): TimetricConfig => ({ consumer_key: consumer.key, consumer_secret: consumer.secret });

describe('OAuth from the client', () => {
  it('OAuth 1.0: request token, callback on the authorize URL, access token without verifier, written back into the config', async () => {
    const config = oauthConfig();
    const client = new TimetricClient(config, { baseUrl: t.url });
    await assert.rejects(client.createSeries({ title: 'x', caption: 'y' }), ConfigurationError);
    const request = await client.getRequestToken();
    const url = client.getAuthorizeUrl(request, 'http://app.example/done');
    const { location } = await authorizeThroughForm(url, carol.name, carol.password);
    assert.equal(new URL(location!).searchParams.get('oauth_token'), request.oauth_token);
    const access = await client.getAccessToken(request);
    assert.equal(config.oauth_token, access.oauth_token);
    assert.equal(config.oauth_secret, access.oauth_token_secret);

    const s = await client.createSeries({ title: 'Signed', caption: 'by OAuth' }, [[1, 1]]);
    await lastValueFrom(s.update([[2, 2]]));
    await lastValueFrom(s.increment(5));
    assert.equal((await t.store.getSeries(s.id))?.ownerId, carol.id);
    assert.equal((await lastValueFrom(s.latest()))?.[1], 7);

    // A new client from the persisted config works without the dance.
    const again = new TimetricClient({ ...config }, { baseUrl: t.url });
    assert.match(await lastValueFrom(again.series(s.id).csv()), /^1,1\n2,2\n/);
  });

  it('OAuth 1.0a: callback at request-token time, verifier at access-token time', async () => {
    const config = oauthConfig();
    const client = new TimetricClient(config, { baseUrl: t.url });
    const request = await client.getRequestToken('http://app.example/cb?x=1');
    assert.equal(request.oauth_callback_confirmed, true);
    const { location } = await authorizeThroughForm(client.getAuthorizeUrl(), carol.name, carol.password);
    const back = new URL(location!);
    assert.equal(back.searchParams.get('x'), '1');
    const verifier = back.searchParams.get('oauth_verifier')!;
    await assert.rejects(client.getAccessToken(request), AuthenticationError, 'a 1.0a token needs its verifier');
    await client.getAccessToken(request, verifier);
    const s = await client.createSeries({ title: 'a', caption: 'b' });
    assert.equal(await lastValueFrom(s.latest()), null);
  });

  it('every series operation signed with OAuth: query-signed create with data, form-signed value and increment, PUT, DELETE', async () => {
    const config = oauthConfig();
    const client = new TimetricClient(config, { baseUrl: t.url });
    const request = await client.getRequestToken();
    await authorizeThroughForm(client.getAuthorizeUrl(request), carol.name, carol.password);
    await client.getAccessToken(request);
    // metadata with characters that need RFC 5849 encoding travels in the signed query string
    const s = await client.createSeries({ title: 'Ünïcode & co', caption: 'a+b=c; 100%', tags: ['x y', 'z'] }, '1049587200,1\n');
    const stored = await t.store.getSeries(s.id);
    assert.equal(stored?.title, 'Ünïcode & co');
    assert.equal(stored?.caption, 'a+b=c; 100%');
    await lastValueFrom(s.update(true));
    assert.deepEqual((await lastValueFrom(s.latest()))?.[1], true);
    await lastValueFrom(s.update(2.5));
    await lastValueFrom(s.decrement(0.5));
    assert.deepEqual((await lastValueFrom(s.latest()))?.[1], 2);
    await lastValueFrom(s.rewrite([['2003-04-06T00:00:00Z', null]]));
    assert.equal(await lastValueFrom(s.csv('iso')), '2003-04-06T00:00:00Z,null\n');
    await lastValueFrom(s.delete());
    assert.equal(await t.store.getSeries(s.id), undefined);
  });

  it('wrong consumer secret or wrong token secret fail with AuthenticationError', async () => {
    const wrong = new TimetricClient({ consumer_key: consumer.key, consumer_secret: 'nope' }, { baseUrl: t.url });
    await assert.rejects(wrong.getRequestToken(), (e: unknown) => e instanceof AuthenticationError && e.status === 401);
    const bad = new TimetricClient({ ...oauthConfig(), oauth_token: 'x', oauth_secret: 'y' }, { baseUrl: t.url });
    await assert.rejects(bad.createSeries({ title: 'a', caption: 'b' }), AuthenticationError);
    const token = new TimetricClient({ authtype: 'apitoken', apitoken_key: carol.key, apitoken_secret: 'wrong' }, { baseUrl: t.url });
    await assert.rejects(lastValueFrom(token.series('AAAAAAAAAAAAAAAAAAAAAA').latest()), (e: unknown) => e instanceof AuthenticationError && /HTTP 401/.test(e.message));
  });
});
