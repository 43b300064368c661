// Paged CSV reads (`?limit=`): the SQLite store (the default test store) streams each page after sending its
// `Link: rel="next"` (Store.pageEnd + readPointColumns); a store without those optional methods
// (as PostgreSQL today) reads the page into memory first. Both must answer the same bytes and links.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatCsv } from '../../src/codec/formatCsv.js';
import type { Point } from '../../src/codec/Point.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { CSV, createSeries } from '../helpers/http.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

// Short decimals, 17-digit values, exponents, null/true/false, negative times.
const points: Point[] = Array.from({ length: 25_000 }, (_, i): Point => {
  const t = -5_000 + i * 0.75 + (i % 3 === 0 ? 1e-6 : 0);
  const k = i % 9;
  const v = k === 0 ? null : k === 1 ? true : k === 2 ? false : k === 3 ? i / 7 : k === 4 ? -i * 1e-9 : k === 5 ? i * 1e21 : (i % 1000) / 4;
  return [t, v];
});

interface Page {
  status: number;
  link: string | null;
  /** Sent without a Content-Length (streamed). */
  streamed: boolean;
  body: string;
}

async function page(url: string, basic: string): Promise<Page> {
  const r = await fetch(url, { headers: { authorization: basic } });
  return { status: r.status, link: r.headers.get('link'), streamed: !r.headers.has('content-length'), body: await r.text() };
}

/** Follows `rel="next"` from `first`; returns every page. */
async function allPages(first: string, basic: string): Promise<Page[]> {
  const pages: Page[] = [];
  for (let next: string | undefined = first; next !== undefined; ) {
    const p = await page(next, basic);
    assert.equal(p.status, 200);
    pages.push(p);
    next = /^<([^>]+)>; rel="next"$/.exec(p.link ?? '')?.[1];
  }
  return pages;
}

for (const kind of ['streamed (test store)', 'buffered (store without pageEnd)'] as const) {
  describe(`paged CSV reads, ${kind}`, () => {
    let t: TestServer;
    let ada: TestUser;
    let id: string;
    before(async () => {
      let store: Store | undefined;
      if (kind !== 'streamed (test store)') {
        store = { ...(await openSqliteStore(':memory:')) };
        delete store.pageEnd;
        delete store.readPointColumns;
      }
      t = await startServer(store ? { store } : {});
      ada = await t.user(`pages-${kind.length}`);
      id = await createSeries(t.url, ada.basic);
      const r = await fetch(`${t.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, authorization: ada.basic }, body: formatCsv(points) });
      assert.equal(r.status, 204);
    });
    after(async () => {
      await t.close();
      if (kind !== 'streamed (test store)') await t.store.close();
    });

    it('a page has its points as formatCsv writes them and a Link to where the next one starts', async () => {
      const p = await page(`${t.url}/series/${id}/csv/?limit=10000&start=-4000`, ada.basic);
      const first = points.findIndex(([time]) => time >= -4000);
      assert.equal(p.status, 200);
      // The default test store is SQLite (streams); TIMETRIC_TEST_STORE=postgres has no pageEnd yet.
      assert.equal(p.streamed, t.store.pageEnd !== undefined);
      if (kind === 'buffered (store without pageEnd)') assert.equal(p.streamed, false);
      assert.equal(p.body, formatCsv(points.slice(first, first + 10_000)));
      assert.equal(p.link, `<${t.url}/series/${id}/csv/?limit=10000&start=${points[first + 10_000]![0]}>; rel="next"`);
    });

    it('following the links gives the whole range once, in pages of the limit, unix and iso', async () => {
      for (const [suffix, format] of [['csv/', 'unix'], ['csv/iso.csv', 'iso']] as const) {
        const pages = await allPages(`${t.url}/series/${id}/${suffix}?limit=7000`, ada.basic);
        assert.deepEqual(pages.map((p) => p.body.split('\n').length - 1), [7000, 7000, 7000, 4000]);
        assert.equal(pages.map((p) => p.body).join(''), formatCsv(points, format));
        assert.equal(pages.at(-1)!.link, null);
      }
    });

    it('an end bounds the pages; a limit at the exact count has no Link; an empty range is empty', async () => {
      const end = points[12_000]![0];
      const pages = await allPages(`${t.url}/series/${id}/csv/?limit=5000&end=${end}`, ada.basic);
      assert.deepEqual(pages.map((p) => p.body.split('\n').length - 1), [5000, 5000, 2000]);
      assert.equal(pages.map((p) => p.body).join(''), formatCsv(points.slice(0, 12_000)));
      const exact = await page(`${t.url}/series/${id}/csv/?limit=25000`, ada.basic);
      assert.equal(exact.link, null);
      assert.equal(exact.body, formatCsv(points));
      const empty = await page(`${t.url}/series/${id}/csv/?limit=10&start=2000000000`, ada.basic);
      assert.deepEqual([empty.status, empty.link, empty.body], [200, null, '']);
    });

    it('the whole history unpaged is formatCsv of every point', async () => {
      assert.equal((await page(`${t.url}/series/${id}/csv/`, ada.basic)).body, formatCsv(points));
    });
  });
}
