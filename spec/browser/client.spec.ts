// The client bundled for browsers (esbuild) runs in headless Chromium on a page of ANOTHER origin:
// an API-token read and an OAuth-signed write against the real server succeed. Proves: web
// standards only (no Node modules), asynchronous WebCrypto signing, and the server's CORS.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { lastValueFrom } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { mintSecret } from '../../src/server/auth/secrets.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let dave: TestUser;
let page: Server;
let pageUrl = '';
let browser: Browser;
const access = { token: mintSecret(16), secret: mintSecret() };

before(async () => {
  t = await startServer();
  dave = await t.user('browser-dave');
  await t.store.createConsumer({ key: 'web-app', secret: 'web-secret', name: 'web', callback: null });
  await t.store.saveOAuthToken({ token: access.token, secret: access.secret, consumerKey: 'web-app', kind: 'access', userId: dave.id, callback: null, verifier: null, expiresAt: null });
  const bundle = await build({
    stdin: { contents: "export * from './src/index.ts'; export { lastValueFrom } from 'rxjs';", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
  });
  const js = bundle.outputFiles[0]!.text;
  assert.doesNotMatch(js, /require\(["']node:/, 'the client bundle must not pull Node modules');
  page = createServer((req, res) => {
    if (req.url === '/timetric.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>dashboard</title>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  // "localhost" for the page, 127.0.0.1 for the API: different origins.
  pageUrl = `http://localhost:${(page.address() as { port: number }).port}/`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => page?.close(resolve));
  await t?.close();
});

describe('the client in a browser on another origin', () => {
  it('reads with an API token and writes with OAuth signed by WebCrypto', async () => {
    const node = new TimetricClient({ authtype: 'apitoken', apitoken_key: dave.key, apitoken_secret: dave.secret }, { baseUrl: t.url });
    const existing = await node.createSeries({ title: 'from node', caption: 'c' }, [[1, 41]]);
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const result = await tab.evaluate(
      async ({ api, dave, access, id, bundle }) => {
        const { TimetricClient, lastValueFrom } = (await import(bundle)) as typeof import('../../src/index.js') & typeof import('rxjs');
        const token = new TimetricClient({ authtype: 'apitoken', apitoken_key: dave.key, apitoken_secret: dave.secret }, { baseUrl: api });
        const read = await lastValueFrom(token.series(id).latest());
        const oauth = new TimetricClient({ consumer_key: 'web-app', consumer_secret: 'web-secret', oauth_token: access.token, oauth_secret: access.secret }, { baseUrl: api });
        const created = await oauth.createSeries({ title: 'from the browser', caption: 'signed' }, [[1049587200, 7]]);
        await lastValueFrom(created.update(8));
        return { read, id: created.id, origin: location.origin, subtle: typeof crypto.subtle.sign };
      },
      { api: t.url, dave: { key: dave.key, secret: dave.secret }, access, id: existing.id, bundle: '/timetric.js' },
    );
    assert.deepEqual(result.read, [1, 41]);
    assert.notEqual(result.origin, new URL(t.url).origin);
    assert.equal((await t.store.getSeries(result.id))?.ownerId, dave.id);
    assert.equal((await lastValueFrom(node.series(result.id).latest()))?.[1], 8);
  });
});
