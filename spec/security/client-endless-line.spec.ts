// Hardening #11, finding 7 (client side): values$ on a body that never sends a newline read only
// 70 MB in 60 s, peaked at 630 MB RSS, and never timed out (every chunk reset the idle timer). Now
// the decoder's 64 KiB line cap fails it at once with a ParseError naming the line, the download
// is dropped, and memory stays flat.
//
// The peer is a raw node:http server that streams a CSV line forever: a hostile (or broken)
// server, not a stand-in for ours, which never writes such a line.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import crossFetch from 'cross-fetch';
import { lastValueFrom, tap } from 'rxjs';
import type { Point } from '../../src/codec/Point.js';
import { ParseError } from '../../src/errors/ParseError.js';
import { TimetricClient, type FetchLike } from '../../src/index.js';

const MiB = 1024 * 1024;
const ID = 'p-DpewL0TO-iBE4nMBCTsQ';

interface Stream {
  /** Bytes written to the response so far. */
  written: number;
  /** Resolves when the client has gone (the response closed). */
  closed: Promise<void>;
}

let server: Server;
let base: string;
const streams: Stream[] = [];
/** What the next response starts with, and then sends forever. */
let head = '';
let filler = Buffer.alloc(16 * 1024, '9');

before(async () => {
  server = createServer((_req, res) => {
    let resolveClosed!: () => void;
    const stream: Stream = { written: 0, closed: new Promise((resolve) => (resolveClosed = resolve)) };
    streams.push(stream);
    const bytes = filler;
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    res.write(head);
    let open = true;
    res.on('close', () => {
      open = false;
      resolveClosed();
    });
    // Forever, as fast as the client reads (backpressure keeps our own memory flat).
    const pump = (): void => {
      while (open) {
        stream.written += bytes.length;
        if (!res.write(bytes)) return void res.once('drain', pump);
      }
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Reads values$ from the endless server; returns the points before the error, the error and the RSS growth. */
async function readEndless(fetch: FetchLike | undefined): Promise<{ points: Point[]; error: unknown; rssGrowth: number }> {
  const client = new TimetricClient({ authtype: 'anonymous' }, fetch ? { baseUrl: base, fetch } : { baseUrl: base });
  const series = client.series(ID);
  const points: Point[] = [];
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  let error: unknown;
  try {
    await lastValueFrom(series.values$.pipe(tap((p) => points.push(p))));
  } catch (err) {
    error = err;
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { points, error, rssGrowth: peak - rssBefore };
}

describe('values$ on a body whose line never ends', () => {
  for (const [name, fetch, fill] of [
    ['the platform fetch (web stream body), digits', undefined, '9'],
    ['the platform fetch (web stream body), digits and commas', undefined, '9,'],
    ['cross-fetch (Node stream body), digits', crossFetch as unknown as FetchLike, '9'],
  ] as const) {
    it(`${name}: a ParseError naming line 1, the download dropped, < 50 MB RSS growth`, { timeout: 30_000 }, async (test) => {
      head = '1400000000,';
      filler = Buffer.alloc(16 * 1024, fill);
      const before = streams.length;
      const { points, error, rssGrowth } = await readEndless(fetch);
      assert.ok(error instanceof ParseError, String(error));
      assert.equal(error.line, 1);
      assert.match(error.message, /^CSV line 1: longer than 65536 bytes \(maxLineBytes\): "1400000000,9[9,]{9}/);
      assert.deepEqual(points, []);
      assert.equal(streams.length, before + 1, 'one request, no retry of a parse error');
      const stream = streams.at(-1)!;
      await stream.closed; // the client dropped the connection
      test.diagnostic(`RSS growth ${(rssGrowth / MiB).toFixed(1)} MiB, ${(stream.written / MiB).toFixed(1)} MiB written by the peer`);
      assert.ok(stream.written < 32 * MiB, `the client stopped reading (${stream.written} bytes written)`);
      assert.ok(rssGrowth < 50 * MiB, `RSS grew ${(rssGrowth / MiB).toFixed(1)} MiB`);
    });
  }

  it('after good lines: the error names the endless line', { timeout: 30_000 }, async () => {
    head = '1,1\n2,2\n\n';
    filler = Buffer.alloc(16 * 1024, '9');
    const { points, error } = await readEndless(undefined);
    assert.ok(error instanceof ParseError, String(error));
    assert.equal(error.line, 4);
    // The good points come first unless they shared the failing chunk (points of that push are not returned).
    assert.deepEqual(points, [[1, 1], [2, 2]].slice(0, points.length));
  });
});
