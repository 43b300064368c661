// values$ against the real server: a 200,000-point read equals what was written; a read resumes,
// without duplicates or gaps, when the server process is killed mid-stream and restarted on the
// same SQLite file (behind a TCP proxy that keeps the address).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom, tap, toArray } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { TimetricClient } from '../../src/index.js';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const pairs = (n: number): Point[] => Array.from({ length: n }, (_, i) => [1_600_000_000 + i * 0.5, i % 11 === 0 ? null : (i % 1000) / 4] as const);

let t: TestServer;
let ada: TestUser;
before(async () => {
  t = await startServer();
  ada = await t.user('values-ada');
});
after(() => t.close());

describe('values$ against the server', () => {
  it('reads 200,000 points in pages, equal to what was written', async () => {
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: ada.key, apitoken_secret: ada.secret }, { baseUrl: t.url });
    const s = await client.createSeries({ title: 'read', caption: 'c' });
    const points = pairs(200_000);
    await lastValueFrom(s.update(points));
    assert.deepEqual(await lastValueFrom(s.values({ pageSize: 30_000 }).pipe(toArray())), points);
    assert.deepEqual(await lastValueFrom(s.values$.pipe(toArray())), points);
    const pages: Point[][] = [];
    for await (const page of s.pages({ pageSize: 30_000 })) pages.push(page);
    assert.deepEqual(pages.map((p) => p.length), [30_000, 30_000, 30_000, 30_000, 30_000, 30_000, 20_000]);
    assert.deepEqual(pages.flat(), points);
  });
});

describe('pages() against the server', () => {
  it('one request per page, nothing asked ahead, each page starting just after the last', async () => {
    const urls: URL[] = [];
    const counting = (url: string, init?: RequestInit) => (urls.push(new URL(url)), fetch(url, init));
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: ada.key, apitoken_secret: ada.secret }, { baseUrl: t.url, fetch: counting });
    const s = await client.createSeries({ title: 'pages', caption: 'c' });
    const points = pairs(25_000);
    await lastValueFrom(s.update(points));
    urls.length = 0;
    const pages: Point[][] = [];
    for await (const page of s.pages({ pageSize: 10_000 })) {
      pages.push(page);
      assert.equal(urls.length, pages.length, 'the next page is requested only when the loop asks for it');
    }
    assert.deepEqual(pages.map((p) => p.length), [10_000, 10_000, 5_000]);
    assert.deepEqual(pages.flat(), points);
    assert.deepEqual(urls.map((u) => u.searchParams.get('limit')), ['10000', '10000', '10000']);
    assert.equal(Number(urls[1]!.searchParams.get('start')) > pages[0]!.at(-1)![0], true);
  });
});

describe('values$ across a server restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-values-restart-'));
  const db = join(dir, 'restart.db');
  let child: ChildProcess | undefined;
  let proxy: FaultProxy;
  const serve = async (): Promise<number> => {
    child = spawn(process.execPath, ['--import', 'tsx', 'spec/helpers/serveFile.ts', db], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: child!.stdout! }).once('line', resolve));
    return Number(new URL((JSON.parse(line) as { url: string }).url).port);
  };
  before(async () => {
    proxy = await startFaultProxy(await serve());
  });
  after(async () => {
    child?.kill('SIGKILL');
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a read resumes after the server is killed mid-stream and restarted on the same file', async () => {
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: 'crash-key', apitoken_secret: 'crash-secret' }, { baseUrl: proxy.url });
    const s = await client.createSeries({ title: 'restart', caption: 'c' });
    const points = pairs(200_000);
    await lastValueFrom(s.update(points));
    let seen = 0;
    let restarted: Promise<void> | undefined;
    const read = await lastValueFrom(
      s.values({ pageSize: 20_000 }).pipe(
        tap(() => {
          if (++seen !== 50_000) return;
          const old = child!;
          old.kill('SIGKILL');
          proxy.cutAll();
          restarted = serve().then((port) => proxy.setTarget(port));
        }),
        toArray(),
      ),
    );
    await restarted;
    assert.ok(restarted, 'the server was restarted during the read');
    assert.equal(read.length, points.length);
    assert.deepEqual(read, points);
  });
});

describe('values$ through a connection that stalls', () => {
  let s: TestServer;
  let proxy: FaultProxy;
  before(async () => {
    s = await startServer();
    proxy = await startFaultProxy(Number(new URL(s.url).port));
  });
  after(async () => {
    await proxy.close();
    await s.close();
  });

  it('a body that stops arriving (connection left open) times out after timeoutMs of silence and the read resumes', async () => {
    const bob = await s.user('values-bob');
    // timeoutMs also bounds the silence inside a body; the stalled connection never closes by itself.
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: bob.key, apitoken_secret: bob.secret }, { baseUrl: proxy.url, timeoutMs: 300 });
    const series = await client.createSeries({ title: 'stall', caption: 'c' });
    const points = pairs(60_000);
    await lastValueFrom(series.update(points));
    proxy.cutAll(); // the next read opens a new connection, which stalls mid-body
    const before = proxy.connections;
    proxy.stallNext(1, 200_000);
    const read = await lastValueFrom(series.values({ pageSize: 60_000 }).pipe(toArray()));
    assert.ok(proxy.connections - before >= 2, 'the read reconnected');
    assert.equal(read.length, points.length);
    assert.deepEqual(read, points);
  });
});
