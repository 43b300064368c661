// The journal in a browser: headless Chromium runs writeTo and incrementTo with IndexedDB journals
// while the server is unreachable (the fault proxy refuses every connection), the page is reloaded
// (everything in memory is gone), the server comes back, and sinks opened on the same journals
// after the reload send what was accepted before it: every point once, the counter the exact sum.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { lastValueFrom, toArray } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { launchChromium } from '../helpers/launchChromium.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let eve: TestUser;
let proxy: FaultProxy;
let page: Server;
let pageUrl = '';
let browser: Browser;

before(async () => {
  t = await startServer();
  eve = await t.user('browser-eve');
  proxy = await startFaultProxy(Number(new URL(t.url).port));
  const bundle = await build({
    stdin: { contents: "export * from './src/index.ts'; export { Subject, EMPTY, lastValueFrom, toArray } from 'rxjs';", resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
  });
  const js = bundle.outputFiles[0]!.text;
  page = createServer((req, res) => {
    if (req.url === '/timetric.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sensor page</title>');
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageUrl = `http://localhost:${(page.address() as { port: number }).port}/`;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await new Promise((resolve) => page?.close(resolve));
  await proxy?.close();
  await t?.close();
});

type Lib = typeof import('../../src/index.js') & typeof import('rxjs');

/** A new tab on the sensor page. */
async function openTab() {
  const tab = await browser.newPage();
  // tsx names the functions inside evaluate() with an __name helper that pages do not have.
  await tab.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await tab.goto(pageUrl);
  return tab;
}

describe('journaled sinks in a browser (IndexedDB)', () => {
  it('keep what they accepted across a page reload while the server is down', async () => {
    const node = new TimetricClient({ authtype: 'apitoken', apitoken_key: eve.key, apitoken_secret: eve.secret }, { baseUrl: t.url });
    const series = await node.createSeries({ title: 'browser points', caption: 'c' });
    const counter = await node.createSeries({ title: 'browser counter', caption: 'c' });
    const args = { api: proxy.url, key: eve.key, secret: eve.secret, id: series.id, counterId: counter.id, bundle: '/timetric.js' };
    proxy.setTarget(1); // the server is unreachable from now on
    const tab = await openTab();
    const accepted = await tab.evaluate(async (a) => {
      const lib = (await import(a.bundle)) as Lib;
      const client = new lib.TimetricClient({ authtype: 'apitoken', apitoken_key: a.key, apitoken_secret: a.secret }, { baseUrl: a.api, timeoutMs: 2_000 });
      const points = new lib.Subject<readonly [number, number]>();
      const clicks = new lib.Subject<number>();
      let journaled = 0;
      let windows = 0;
      let sum = 0;
      const errors: string[] = [];
      const failed = { error: (e: unknown) => errors.push(String(e)) };
      points.pipe(lib.writeTo(client.series(a.id), { journal: 'points-journal', maxBatchPoints: 100, retryBaseMs: 20, maxBackoffMs: 200, onJournaled: (b) => (journaled += b.points) })).subscribe(failed);
      clicks
        .pipe(lib.incrementTo(client.series(a.counterId), { journal: 'counts-journal', windowMs: 20, retryBaseMs: 20, maxBackoffMs: 200, onJournaled: (w) => ((windows += 1), (sum += w.amount)) }))
        .subscribe(failed);
      for (let i = 0; i < 300; i++) points.next([1_700_000_000 + i / 10, i]);
      for (const n of [1, 2, 3, 4]) {
        clicks.next(n);
        await new Promise((r) => setTimeout(r, 60)); // one window each
      }
      // IndexedDB appends are asynchronous: wait until all of it is in (up to 15 s). Clicks that
      // arrive while the sink's code loads and its journal opens share a window, so there are one
      // to four windows; their sum is exact.
      for (let k = 0; k < 300 && errors.length === 0 && (journaled < 300 || sum < 10); k++) await new Promise((r) => setTimeout(r, 50));
      return { journaled, windows, sum, errors };
    }, args);
    assert.deepEqual({ ...accepted, windows: undefined }, { journaled: 300, sum: 10, errors: [], windows: undefined });
    assert.ok(accepted.windows >= 1 && accepted.windows <= 4, `windows: ${accepted.windows}`);
    await tab.reload(); // while the server is still down: the sinks and their memory are gone
    proxy.setTarget(Number(new URL(t.url).port));
    const sent = await tab.evaluate(async (a) => {
      const lib = (await import(a.bundle)) as Lib;
      const client = new lib.TimetricClient({ authtype: 'apitoken', apitoken_key: a.key, apitoken_secret: a.secret }, { baseUrl: a.api });
      const written = await lib.lastValueFrom(lib.EMPTY.pipe(lib.writeTo(client.series(a.id), { journal: 'points-journal' }), lib.toArray()));
      const counted = await lib.lastValueFrom(lib.EMPTY.pipe(lib.incrementTo(client.series(a.counterId), { journal: 'counts-journal' }), lib.toArray()));
      return { points: written.reduce((n, r) => n + r.points, 0), amount: counted.reduce((n, r) => n + r.amount, 0) };
    }, args);
    assert.deepEqual(sent, { points: 300, amount: 10 });
    const stored = await lastValueFrom(node.series(series.id).values().pipe(toArray()));
    assert.equal(stored.length, 300);
    assert.deepEqual(stored[299], [1_700_000_029.9, 299]);
    assert.equal((await lastValueFrom(node.series(counter.id).latest()))?.[1], 10);
  });

  it("drop-oldest on IndexedDB counts every point it drops, those recovered after a reload too", async () => {
    const node = new TimetricClient({ authtype: 'apitoken', apitoken_key: eve.key, apitoken_secret: eve.secret }, { baseUrl: t.url });
    const series = await node.createSeries({ title: 'browser overflow', caption: 'c' });
    const args = { api: proxy.url, key: eve.key, secret: eve.secret, id: series.id, bundle: '/timetric.js' };
    proxy.setTarget(1); // the server is unreachable
    const tab = await openTab();
    // 1,000 points journaled (ten batches) while the server is down, then the page goes away.
    const first = await tab.evaluate(async (a) => {
      const lib = (await import(a.bundle)) as Lib;
      const client = new lib.TimetricClient({ authtype: 'apitoken', apitoken_key: a.key, apitoken_secret: a.secret }, { baseUrl: a.api, timeoutMs: 2_000 });
      const points = new lib.Subject<readonly [number, number]>();
      let journaled = 0;
      points.pipe(lib.writeTo(client.series(a.id), { journal: 'overflow-journal', maxBatchPoints: 100, retryBaseMs: 20, maxBackoffMs: 200, onJournaled: (b) => (journaled += b.points) })).subscribe();
      for (let i = 0; i < 1_000; i++) points.next([1_700_000_000 + i, i]);
      for (let k = 0; k < 300 && journaled < 1_000; k++) await new Promise((r) => setTimeout(r, 50));
      return journaled;
    }, args);
    assert.equal(first, 1_000);
    await tab.reload();
    // After the reload, still down: a sink with room for about four batches recovers the ten and
    // takes 500 new points, dropping the oldest; then the server comes back and it drains.
    await tab.evaluate(async (a) => {
      const lib = (await import(a.bundle)) as Lib;
      const client = new lib.TimetricClient({ authtype: 'apitoken', apitoken_key: a.key, apitoken_secret: a.secret }, { baseUrl: a.api, timeoutMs: 2_000 });
      const points = new lib.Subject<readonly [number, number]>();
      const g = globalThis as unknown as { points: typeof points; receipts: { points: number; dropped: number }[]; done: Promise<void> };
      g.points = points;
      g.receipts = [];
      let journaled = 0;
      g.done = new Promise<void>((resolve, reject) => {
        points
          .pipe(lib.writeTo(client.series(a.id), { journal: 'overflow-journal', maxBatchPoints: 100, maxJournalBytes: 8_000, overflow: 'drop-oldest', retryBaseMs: 20, maxBackoffMs: 200, onJournaled: (b) => (journaled += b.points) }))
          .subscribe({ next: (r) => g.receipts.push(r), error: reject, complete: resolve });
      });
      for (let i = 0; i < 500; i++) {
        points.next([1_700_010_000 + i, i]);
        if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
      }
      for (let k = 0; k < 300 && journaled < 500; k++) await new Promise((r) => setTimeout(r, 50));
    }, args);
    proxy.setTarget(Number(new URL(t.url).port));
    const receipts = await tab.evaluate(async () => {
      const g = globalThis as unknown as { points: { complete(): void }; receipts: { points: number; dropped: number }[]; done: Promise<void> };
      g.points.complete();
      await g.done;
      return g.receipts;
    });
    const stored = await lastValueFrom(node.series(series.id).values({ pageSize: 10_000 }).pipe(toArray()));
    const dropped = receipts.at(-1)!.dropped;
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), stored.length);
    assert.ok(dropped > 0, 'the journal overflowed');
    assert.equal(dropped, 1_500 - stored.length, `dropped ${dropped}, missing ${1_500 - stored.length}`);
    assert.deepEqual(stored[0], [1_700_000_000, 0], 'the batch in flight when it overflowed is kept');
    assert.deepEqual(stored.at(-1), [1_700_010_499, 499], 'the newest are kept');
  });
});
