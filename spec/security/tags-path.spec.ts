// Hardening #11, finding 12b: GET /tags/%25E0%25A4%25A/results.thin.json answered 500: the router
// had already percent-decoded the path parameter and the route decoded it again, so "%25" (an
// encoded "%") became a malformed escape. The tags are now split at the raw path's ";" and
// decoded exactly once: that path asks for the tag "%E0%A4%A" literally, and a path whose escapes
// really are malformed is a 400.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSeries } from '../helpers/http.js';
import { startServer, type TestServer } from '../helpers/startServer.js';

describe('the /tags/ path', () => {
  let t: TestServer;
  const ids: Record<string, string> = {};

  before(async () => {
    t = await startServer();
    const alice = await t.user();
    for (const tag of ['%E0%A4%A', '50%', 'a;b', 'a', 'b', 'ऄ']) ids[tag] = await createSeries(t.url, alice.basic, { tags: tag, public: 'true' });
  });
  after(() => t.close());

  const get = async (path: string) => {
    const r = await fetch(`${t.url}/tags/${path}/results.thin.json`);
    const text = await r.text();
    return { status: r.status, type: r.headers.get('content-type') ?? '', text, ids: r.status === 200 ? (JSON.parse(text) as { id: string }[]).map((s) => s.id) : [] };
  };

  it('the doubly-encoded path of the finding is decoded once: never a 500, the literal tag "%E0%A4%A"', async () => {
    const r = await get('%25E0%25A4%25A');
    assert.notEqual(r.status, 500);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.ids, [ids['%E0%A4%A']]);
  });

  it('a tag with a "%" sent as %25 is found (the second decode made it a 500)', async () => {
    assert.deepEqual((await get('50%25')).ids, [ids['50%']]);
  });

  it('";" separates tags, an encoded %3B stays inside its tag, UTF-8 escapes decode', async () => {
    assert.deepEqual((await get('a;b')).ids, []);
    assert.deepEqual((await get('a%3Bb')).ids, [ids['a;b']]);
    assert.deepEqual((await get('%E0%A4%84')).ids, [ids['ऄ']]);
    assert.deepEqual((await get('a')).ids, [ids.a]);
  });

  it('malformed percent-encoding is a 400 naming the path, not a 500', async () => {
    for (const path of ['%E0%A4%A', 'a;%E0%A4%A', '%', '%zz']) {
      const r = await get(path);
      assert.equal(r.status, 400, `${path}: ${r.status} ${r.text}`);
      assert.match(r.text, /(not a valid url component|malformed percent-encoding)/, path);
      assert.match(r.type, /^text\/plain/, `${path}: answered in the API's text form`);
    }
  });

  it('more distinct tags in the path than a query may ask for is a 400', async () => {
    const r = await get(Array.from({ length: 21 }, (_, i) => `t${i}`).join(';'));
    assert.equal(r.status, 400);
    assert.match(r.text, /^21 tags asked for; this server matches at most 20 tags per search\n$/);
  });
});
