// The OAuth authorize page in a real browser (Debian's chromium): the user signs in, ticks
// "authorize access", and the browser lands on the application's callback with the token and
// verifier — headers such as CSP must not stop that redirect.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { describe, it, before, after } from 'node:test';
import OAuth from 'oauth-1.0a';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/launchChromium.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

describe('OAuth authorize page in chromium', () => {
  let srv: TestServer;
  let ada: TestUser;
  let browser: Browser;
  let app: Server;
  let callback = '';
  const reached: string[] = [];

  before(async () => {
    srv = await startServer();
    ada = await srv.user('ada');
    await srv.store.createConsumer({ key: 'ck', secret: 'cs', name: 'Printer', callback: null });
    // The application's own site, where the callback lands.
    app = createServer((req, res) => {
      if (req.url?.startsWith('/ready')) reached.push(req.url);
      res.end('back at the application');
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    callback = `http://127.0.0.1:${(app.address() as { port: number }).port}/ready`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => app?.close(resolve));
    await srv?.close();
  });

  it('signs in, shows a wrong password, then redirects to the callback with token and verifier', async () => {
    const oauth = new OAuth({
      consumer: { key: 'ck', secret: 'cs' },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const url = `${srv.url}/oauth/request_token/`;
    const signed = oauth.authorize({ url, method: 'POST', data: { oauth_callback: callback } });
    const res = await fetch(url, { method: 'POST', headers: { ...oauth.toHeader(signed) } });
    assert.equal(res.status, 200);
    const requestToken = new URLSearchParams(await res.text()).get('oauth_token')!;

    const page = await browser.newPage();
    await page.goto(`${srv.url}/oauth/authorize/?oauth_token=${requestToken}`);
    assert.match((await page.textContent('body')) ?? '', /Printer/);
    await page.fill('input[name=user]', 'ada');
    await page.fill('input[name=password]', 'wrong');
    await page.check('input[name=authorize]');
    await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
    assert.equal((await page.textContent('.error'))?.trim(), 'Wrong user name or password.');

    await page.fill('input[name=password]', ada.password);
    await page.check('input[name=authorize]');
    await Promise.all([page.waitForURL(/\/ready\?/), page.click('button[type=submit]')]);
    const landed = new URL(page.url());
    assert.equal(landed.searchParams.get('oauth_token'), requestToken);
    assert.ok(landed.searchParams.get('oauth_verifier'));
    assert.equal((await page.textContent('body'))?.trim(), 'back at the application');
    assert.equal(reached.length, 1);
    await page.close();
  });
});
