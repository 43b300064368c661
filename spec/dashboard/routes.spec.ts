// The dashboard as the server serves it (in-process, app.inject): the page and its files from a
// folder built ahead of time, security headers on every answer, ETag/304, the redirect, the
// server option that turns it off, a clear 503 when the page was never built, and nothing
// secret in what is served.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTimetricServer } from '../../src/server/createTimetricServer.js';
import { DASHBOARD_HEADERS, defaultDashboardDir } from '../../src/server/http/dashboardRoutes.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { ROOT, buildDashboard } from './dashboardFixture.js';

let store: Store;
let built: ReturnType<typeof buildDashboard>;
before(async () => {
  store = await openSqliteStore(':memory:');
  built = buildDashboard();
});
after(async () => {
  await store.close();
  built.remove();
});

describe('dashboard routes', () => {
  it('serves the page, its script and styles with the security headers', async () => {
    const server = createTimetricServer({ store, dashboard: built.dir });
    const page = await server.app.inject({ method: 'GET', url: '/dashboard/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /<script type="module" src="app.js"><\/script>/);
    for (const [name, value] of Object.entries(DASHBOARD_HEADERS)) assert.equal(page.headers[name], value, name);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self';/);
    assert.doesNotMatch(String(page.headers['content-security-policy']), /unsafe-inline|unsafe-eval/);
    // No inline script: everything the page runs is app.js.
    assert.doesNotMatch(page.body.replace(/<script type="module" src="app.js"><\/script>/, ''), /<script/);

    const js = await server.app.inject({ method: 'GET', url: '/dashboard/app.js' });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.equal(js.body, readFileSync(join(built.dir, 'app.js'), 'utf8'));
    assert.ok(js.body.length > 10_000 && js.body.split('\n').length < 200, 'minified');
    for (const css of ['dashboard.css', 'uplot.css']) {
      const r = await server.app.inject({ method: 'GET', url: `/dashboard/${css}` });
      assert.equal(r.statusCode, 200, css);
      assert.match(String(r.headers['content-type']), /^text\/css/);
    }
    assert.equal((await server.app.inject({ method: 'GET', url: '/dashboard/secret.txt' })).statusCode, 404);
    assert.equal((await server.app.inject({ method: 'GET', url: '/dashboard/../package.json' })).statusCode, 404);
    await server.close();
  });

  it('answers 304 to a matching If-None-Match and redirects /dashboard with its query', async () => {
    const server = createTimetricServer({ store, dashboard: built.dir });
    const first = await server.app.inject({ method: 'GET', url: '/dashboard/app.js' });
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    const again = await server.app.inject({ method: 'GET', url: '/dashboard/app.js', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    const moved = await server.app.inject({ method: 'GET', url: '/dashboard?s=abc&range=1d' });
    assert.equal(moved.statusCode, 301);
    assert.equal(moved.headers.location, '/dashboard/?s=abc&range=1d');
    await server.close();
  });

  it('dashboard: false leaves /dashboard/ unanswered', async () => {
    const server = createTimetricServer({ store, dashboard: false });
    assert.equal((await server.app.inject({ method: 'GET', url: '/dashboard/' })).statusCode, 404);
    assert.equal((await server.app.inject({ method: 'GET', url: '/dashboard/app.js' })).statusCode, 404);
    assert.doesNotMatch((await server.app.inject({ method: 'GET', url: '/' })).body, /dashboard/);
    await server.close();
  });

  it('a folder without the built page answers 503 saying how to build it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'timetric-no-dashboard-'));
    try {
      const server = createTimetricServer({ store, dashboard: empty });
      const r = await server.app.inject({ method: 'GET', url: '/dashboard/' });
      assert.equal(r.statusCode, 503);
      assert.match(r.body, /not built .*npm run build/);
      await server.close();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('by default serves the build output of the package, from src/ (tsx) as from dist/', () => {
    assert.equal(defaultDashboardDir(), join(ROOT, 'dist', 'dashboard'));
  });

  it('the page and its script carry no credentials', async () => {
    const server = createTimetricServer({ store, dashboard: built.dir });
    for (const file of ['', 'app.js']) {
      const body = (await server.app.inject({ method: 'GET', url: `/dashboard/${file}` })).body;
      assert.doesNotMatch(body, /apitoken_secret\s*[:=]\s*["'][^"']/);
      assert.doesNotMatch(body, /Basic [A-Za-z0-9+/]{8,}={0,2}/);
    }
    await server.close();
  });
});
