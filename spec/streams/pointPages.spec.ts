// pointPages (the core of series.pages()): pages of pageSize from a cursor, no duplicates, the next
// page read only when pulled, empty input, early break and errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { from, throwError, type Observable } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { pointPages } from '../../src/streams/pointPages.js';

const data: Point[] = Array.from({ length: 10 }, (_, i) => [i + 1, i] as const);
function source(points: Point[]) {
  const starts: (number | undefined)[] = [];
  // Like the server: start is inclusive.
  const readFrom = (start: number | undefined): Observable<Point> => (starts.push(start), from(points.filter((p) => start === undefined || p[0] >= start)));
  return { starts, readFrom };
}

describe('pointPages', () => {
  it('yields pages of pageSize from a cursor, each point once, ending with the short page', async () => {
    const { starts, readFrom } = source(data);
    const pages: Point[][] = [];
    for await (const page of pointPages(readFrom, 4)) pages.push(page);
    assert.deepEqual(pages.map((p) => p.length), [4, 4, 2]);
    assert.deepEqual(pages.flat(), data);
    assert.deepEqual(starts, [undefined, 4, 8]);
  });

  it('reads the next page only when pulled (pull backpressure)', async () => {
    const { starts, readFrom } = source(data);
    const it = pointPages(readFrom, 3)[Symbol.asyncIterator]();
    assert.equal((await it.next()).value?.length, 3);
    assert.equal(starts.length, 1, 'nothing read ahead');
    await it.return();
    assert.equal(starts.length, 1);
  });

  it('an exact multiple ends with one empty read; an empty series yields nothing', async () => {
    const a = source(data.slice(0, 4));
    const pages: Point[][] = [];
    for await (const page of pointPages(a.readFrom, 2)) pages.push(page);
    assert.deepEqual(pages.flat(), data.slice(0, 4));
    const b = source([]);
    for await (const _ of pointPages(b.readFrom, 2)) assert.fail('no page expected');
  });

  it('throws the read error from the loop', async () => {
    const boom = new Error('boom');
    await assert.rejects(async () => {
      for await (const _ of pointPages(() => throwError(() => boom), 2)) assert.fail();
    }, boom);
  });
});
