// The demo's dashboard as a person sees it: `examples/demo/main.ts` started as `npm start` runs it
// (from the build: the page is the server's own /dashboard/, built by npm run build), the link it
// prints opens the page on the demo's series in headless Chromium: one chart per series with its
// history, live over push, a point written during the test appears, no token in the page, and a
// screenshot lands in var/screenshots/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { lastValueFrom } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { launchChromium } from '../helpers/launchChromium.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'timetric-dashboard-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo dashboard', () => {
  it('charts the history of every series and moves live', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', TIMETRIC_DEMO_DIR: dir, TIMETRIC_DEMO_INTERVAL_MS: '300' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines: string[] = [];
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Ctrl-C')) resolve();
      });
      void exited.then((code) => reject(new Error(`demo exited early (${code}): ${lines.join('\n')}`)));
    });
    const demo = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as { url: string; dashboard: string; key: string; secret: string; series: string[] };
    assert.ok(lines.includes(`Dashboard: ${demo.dashboard}`));
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: demo.key, apitoken_secret: demo.secret }, { baseUrl: demo.url });
    // The link holds the view: the demo's series, the last 15 minutes, stacked.
    const link = new URL(demo.dashboard);
    assert.equal(link.pathname, '/dashboard/');
    assert.equal(link.searchParams.get('s'), demo.series.join(','));
    assert.equal(link.searchParams.get('range'), '15m');
    // History: a few points older than the simulation (inside the 15 minutes), present before the page opens.
    const t0 = Math.floor(Date.now() / 1000) - 600;
    for (const id of demo.series) await lastValueFrom(client.series(id).update([[t0, 1], [t0 + 60, 2], [t0 + 120, 3]]));

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      await page.goto(demo.dashboard);
      for (const id of demo.series) {
        await page.waitForFunction((sid) => Number(document.querySelector(`#legend [data-series="${sid}"]`)?.getAttribute('data-points') ?? 0) >= 3, id, { timeout: 30_000 });
      }
      assert.equal(await page.locator('.chart canvas').count(), demo.series.length, 'one chart per series');
      assert.deepEqual(await page.$$eval('.chart h2', (h) => h.map((e) => e.textContent)), ['Kitchen temperature', 'Humidity', 'Power']);
      await page.waitForSelector('#state[data-state="live"]', { timeout: 15_000 });
      // Live over push (the demo server has Server-Sent Events), for every series.
      await page.waitForFunction((n) => document.querySelectorAll('#legend [data-transport="push"]').length === n, demo.series.length, { timeout: 15_000 });
      assert.equal(await page.locator('#transport').textContent(), 'updates by push');
      // The page reads the public series anonymously: no credentials in it.
      const html = await page.content();
      assert.ok(!html.includes(demo.secret) && !html.includes(demo.key), 'the page carries no token');

      // A point written now (later than the simulation's) shows up as the chart's last point.
      const future = Math.floor(Date.now() / 1000) + 30;
      await lastValueFrom(client.series(demo.series[0]!).update([[future, 99]]));
      await page.waitForFunction(([sid, last]) => document.querySelector(`#legend [data-series="${sid}"]`)?.getAttribute('data-last') === last, [demo.series[0]!, `${future},99`] as const, { timeout: 15_000 });

      mkdirSync(join(ROOT, 'var', 'screenshots'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'var', 'screenshots', 'dashboard.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
      if (child.exitCode === null) child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
    assert.match(lines.at(-1)!, /^stopped after \d+ readings per series$/);
  });
});
