// Hardening #11 finding 11: `values$` and `pages()` followed an absolute `Link: rel="next"` to
// any origin, carrying the client's credentials there (Basic KEY:SECRET, or an OAuth signature),
// and the regex that read the header was quadratic (16 KB of "<": 0.15–0.23 s). The header is now
// read by a linear scan, and a next link outside the client's base URL is refused with
// CrossOriginLinkError after the page's own points. The hostile peers are raw node:http servers:
// "A" answers the first page with a Link to "B", which records what it receives.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { nextPageUrl } from '../../src/client/nextPageUrl.js';
import { parseNextLink } from '../../src/client/parseNextLink.js';
import { TimetricClient } from '../../src/client/TimetricClient.js';
import type { Point } from '../../src/codec/Point.js';
import { CrossOriginLinkError } from '../../src/errors/CrossOriginLinkError.js';
import { ParseError } from '../../src/errors/ParseError.js';
import { bestOfMs } from '../helpers/bestOfMs.js';

const SIZE = 16 * 1024;
const fill = (head: string, run: string, tail = ''): string => {
  const body = run.repeat(Math.ceil((SIZE - head.length - tail.length) / run.length));
  return head + body.slice(0, SIZE - head.length - tail.length) + tail;
};

const ADVERSARIAL: Record<string, string> = {
  'a run of "<" (the reported one)': fill('', '<'),
  '"<" then no ">"': fill('<', 'x'),
  'a run of ">" after a link': fill('<a>', '>'),
  'a run of ";"': fill('<a>', ';'),
  'a run of ","': fill('', ','),
  'spaces before ";"': fill('<a>', ' ', '; rel=next'),
  'spaces after "rel="': fill('<a>; rel=', ' ', 'next'),
  'an unterminated quoted rel': fill('<a>; rel="', 'x'),
  'a quoted rel of backslashes': fill('<a>; rel="', '\\'),
  'many links, none next': fill('', '<a>; rel=prev, '),
  'many parameters on one link': fill('<a>', '; rel=x'),
  'a long rel list ending in next': fill('<a>; rel="', 'last ', ' next"'),
  'one long URI': fill('<', 'u', '>; rel=next'),
  '"<" runs inside a link': fill('<a>; rel=next, ', '<<'),
};

function parseOrError(header: string): string | ParseError | undefined {
  try {
    return parseNextLink(header);
  } catch (err) {
    assert.ok(err instanceof ParseError, `only ParseError may escape, got ${String(err)}`);
    return err;
  }
}

describe('parseNextLink', () => {
  for (const [shape, header] of Object.entries(ADVERSARIAL)) {
    it(`${shape}: 16 KB answered in < 5 ms`, async (t) => {
      assert.equal(header.length, SIZE);
      const ms = await bestOfMs(() => parseOrError(header));
      t.diagnostic(`${ms.toFixed(3)} ms`);
      assert.ok(ms < 5, `${shape}: ${ms.toFixed(2)} ms (best of 5)`);
    });
  }

  it('refuses malformed headers naming what was expected and where', () => {
    const error = (header: string): ParseError => {
      const result = parseOrError(header);
      assert.ok(result instanceof ParseError, `expected a refusal of ${header.slice(0, 40)}`);
      assert.ok(result.message.length < 300, 'an excerpt, not the header');
      return result;
    };
    assert.match(error(ADVERSARIAL['a run of "<" (the reported one)']!).message, /malformed Link header: unterminated "<" at character 0/);
    assert.match(error(ADVERSARIAL['a run of ">" after a link']!).message, /expected ";" or "," after a link at character 3/);
    assert.match(error(ADVERSARIAL['a run of ";"']!).message, /expected a parameter name at character 4/);
    assert.match(error(ADVERSARIAL['an unterminated quoted rel']!).message, /unterminated quoted string at character 9/);
    assert.match(error('next; <a>').message, /expected "<" opening a link at character 0/);
  });

  it('reads RFC 8288 links: quoted or bare, relation lists, any case, first rel only, commas and semicolons inside <>', () => {
    assert.equal(parseNextLink(ADVERSARIAL['a long rel list ending in next']), 'a');
    assert.equal(parseNextLink(ADVERSARIAL['spaces after "rel="']), 'a');
    assert.equal(parseNextLink('<http://example.com/TheBook/chapter2>; rel="previous"; title="previous chapter"'), undefined);
    assert.equal(parseNextLink('<a>; rel="prev", <b>; rel="next"'), 'b');
    assert.equal(parseNextLink('<b>;rel=next'), 'b');
    assert.equal(parseNextLink('<b>; REL="Last NEXT"'), 'b');
    assert.equal(parseNextLink('<c>; rel="prev"; rel="next"'), undefined);
    assert.equal(parseNextLink('<a>; title="x, \\"y\\"; rel=next", <n>; rel=next'), 'n');
    assert.equal(parseNextLink('<http://h/x?a=1,2;b=3>; rel="next"'), 'http://h/x?a=1,2;b=3');
    assert.equal(parseNextLink(', , <n>; anchor; rel=next ,'), 'n');
    assert.equal(parseNextLink('<n>; rel=nextish'), undefined);
    assert.equal(parseNextLink(''), undefined);
    assert.equal(parseNextLink(null), undefined);
  });
});

describe('nextPageUrl', () => {
  const page = 'http://h:8080/api/series/ID/csv/?limit=2';
  it('resolves against the page and follows links under the base URL only', () => {
    assert.equal(nextPageUrl('<?start=3>; rel=next', page, 'http://h:8080/api'), 'http://h:8080/api/series/ID/csv/?start=3');
    assert.equal(nextPageUrl('</api/series/ID/csv/?start=3>; rel=next', page, 'http://h:8080/api'), 'http://h:8080/api/series/ID/csv/?start=3');
    assert.equal(nextPageUrl(null, page, 'http://h:8080/api'), undefined);
    for (const link of ['http://h:8081/api/x', 'https://h:8080/api/x', 'http://evil/api/x', 'http://h:8080/other/x', 'http://h:8080/apix', 'http://u:p@h:8080/api/x', '//evil/api/x', '/api/../x']) {
      assert.throws(() => nextPageUrl(`<${link}>; rel=next`, page, 'http://h:8080/api'), CrossOriginLinkError, link);
    }
    assert.throws(() => nextPageUrl('<http://[::1>; rel=next', page, 'http://h:8080'), /named a next page that is not a URL/);
    assert.throws(() => nextPageUrl('<a', page, 'http://h:8080'), /GET http:\/\/h:8080\/api\/series\/ID\/csv\/ answered a malformed Link header/);
  });
});

const ID = 'AAAAAAAAAAAAAAAAAAAAAA';

interface Peer {
  server: Server;
  url: string;
  /** Every request received: its URL and Authorization header. */
  seen: { url: string; authorization: string | undefined }[];
}

async function peer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Peer> {
  const seen: Peer['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, seen };
}

describe('a next link to another origin, over the wire', () => {
  let a: Peer;
  let b: Peer;
  /** What A puts in the Link header of its first page. */
  let link = '';

  before(async () => {
    b = await peer((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end('3,3\n'));
    a = await peer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname !== `/series/${ID}/csv/`) return void res.writeHead(404).end();
      if (u.searchParams.get('start') === '3') return void res.writeHead(200, { 'content-type': 'text/csv' }).end('3,3\n');
      res.writeHead(200, { 'content-type': 'text/csv', link }).end('1,1\n2,2\n');
    });
  });
  after(async () => {
    for (const p of [a, b]) await new Promise((resolve) => p?.server.close(resolve));
  });
  beforeEach(() => {
    a.seen.length = 0;
    b.seen.length = 0;
    link = `<${b.url}/series/${ID}/csv/?start=3&limit=2>; rel="next"`;
  });

  const apiToken = (): TimetricClient => new TimetricClient({ authtype: 'apitoken', apitoken_key: 'KEY', apitoken_secret: 'SECRET' }, { baseUrl: a.url });
  const oauth = (): TimetricClient =>
    new TimetricClient({ authtype: 'oauth', consumer_key: 'ck', consumer_secret: 'cs', oauth_token: 'tk', oauth_secret: 'ts' }, { baseUrl: a.url });

  /** The points values$ emitted before it ended, and how it ended. */
  async function valuesOf(client: TimetricClient): Promise<{ points: Point[]; error: unknown }> {
    const points: Point[] = [];
    const error = await new Promise<unknown>((resolve) => {
      client.series(ID).values({ pageSize: 2 }).subscribe({ next: (p) => points.push(p), error: resolve, complete: () => resolve(undefined) });
    });
    return { points, error };
  }

  it('values$ with an API token: emits the page, refuses the link with CrossOriginLinkError, B receives nothing', async () => {
    const { points, error } = await valuesOf(apiToken());
    assert.deepEqual(points, [
      [1, 1],
      [2, 2],
    ]);
    assert.ok(error instanceof CrossOriginLinkError, String(error));
    assert.equal(error.link, `${b.url}/series/${ID}/csv/`);
    assert.equal(error.baseUrl, a.url);
    assert.match(error.message, /not followed, so the client's credentials are not sent there.*publicUrl/);
    assert.doesNotMatch(error.message, /SECRET|S0VZOlNFQ1JFVA/);
    assert.equal(a.seen.length, 1);
    assert.equal(a.seen[0]!.authorization, `Basic ${btoa('KEY:SECRET')}`, 'A, the base URL, did get the credentials');
    assert.deepEqual(b.seen, [], 'B received no request at all');
  });

  it('values$ with OAuth: B receives nothing, signed or not', async () => {
    const { error } = await valuesOf(oauth());
    assert.ok(error instanceof CrossOriginLinkError, String(error));
    assert.match(a.seen[0]?.authorization ?? '', /^OAuth .*oauth_signature=/);
    assert.deepEqual(b.seen, []);
  });

  it('pages(): the loop throws CrossOriginLinkError after the page, B receives nothing', async () => {
    const pages: Point[][] = [];
    await assert.rejects(async () => {
      for await (const page of apiToken().series(ID).pages({ pageSize: 10 })) pages.push(page);
    }, CrossOriginLinkError);
    assert.deepEqual(b.seen, []);
    assert.equal(a.seen.length, 1);
  });

  it('a link to another port or scheme of the same host is refused too', async () => {
    const port = Number(new URL(a.url).port);
    for (const other of [`http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      link = `<${other}/series/${ID}/csv/?start=3>; rel=next`;
      const { error } = await valuesOf(apiToken());
      assert.ok(error instanceof CrossOriginLinkError, `${other}: ${String(error)}`);
    }
    assert.deepEqual(b.seen, []);
  });

  it('a relative next link on the same origin is followed, with the credentials', async () => {
    link = `</series/${ID}/csv/?start=3&limit=2>; rel="next"`;
    const { points, error } = await valuesOf(apiToken());
    assert.equal(error, undefined);
    assert.deepEqual(points, [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    assert.equal(a.seen.length, 2);
    assert.ok(a.seen.every((s) => s.authorization === `Basic ${btoa('KEY:SECRET')}`));
    assert.deepEqual(b.seen, []);
  });

  it('a 15 KB Link header of "<" fails the read with a ParseError at once, after the page', async () => {
    link = '<'.repeat(15_000);
    const t0 = performance.now();
    const { points, error } = await valuesOf(apiToken());
    assert.ok(error instanceof ParseError, String(error));
    assert.match(error.message, /answered a malformed Link header: unterminated "<"/);
    assert.equal(points.length, 2);
    assert.equal(a.seen.length, 1, 'not retried: the same answer would come back');
    assert.ok(performance.now() - t0 < 1000);
  });
});
