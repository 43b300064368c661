// The InfluxDB 1.x and 2.x write APIs over a socket, on the store TIMETRIC_TEST_STORE names:
// Telegraf-style lines into mapped series (title, caption, tags, private, listed by search, the
// same line always into the same series), every precision, server time for untimed lines, gzip,
// all-or-nothing 400s naming the line, the per-user series cap, 413s (gzip bombs included),
// credentials in all three forms checked before the body, /query and /ping.
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SERVER_OPTIONS } from '../../src/server/http/serverOptions.js';
import { readCsv } from '../helpers/http.js';
import { sendUntilAnswered } from '../helpers/sendUntilAnswered.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

const NOW = 1_750_000_000.25;
let t: TestServer;
let alice: TestUser;
let token: string;
before(async () => {
  t = await startServer({ clock: () => NOW, maxInfluxBodyBytes: 1024 * 1024, maxInfluxSeriesPerUser: 50, maxTitleChars: 80 });
  alice = await t.user('influx-alice');
  token = `Token ${alice.key}:${alice.secret}`;
});
after(() => t.close());

interface Listed {
  id: string;
  title: string;
  caption: string;
  tags: string[];
}

async function listed(auth: string, q: string): Promise<Listed[]> {
  const r = await fetch(`${t.url}/search/results.thin.json?q=${encodeURIComponent(q)}&n=100`, { headers: { authorization: auth } });
  assert.equal(r.status, 200);
  return (await r.json()) as Listed[];
}

async function write(path: string, body: string | Buffer, headers: Record<string, string> = { authorization: token }): Promise<Response> {
  return fetch(`${t.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
}

async function csvOf(caption: string, q: string, user = alice): Promise<string> {
  const s = (await listed(user.basic, q)).filter((x) => x.caption === caption);
  assert.equal(s.length, 1, `one series captioned ${caption} for ${q}`);
  return readCsv(t.url, s[0]!.id, user.basic);
}

describe('InfluxDB 1.x /write', () => {
  it('maps Telegraf-style lines onto one series per (database, measurement, tag set, field), private, listed by search', async () => {
    const lines = [
      'cpu,host=server\\ 01,region=us\\,west usage_idle=99.5,usage_user=0.5,count=3i,up=t 1700000000000000000',
      'cpu,region=us\\,west,host=server\\ 01 usage_idle=98.25,up=false 1700000001000000000',
      'disk\\ io,path=/var/lib\\ data,ke\\=y=a\\=b reads=12u 1700000000500000000',
    ].join('\n');
    const r = await write('/write?db=telegraf', lines);
    assert.equal(r.status, 204, await r.text());
    const cpu = await listed(alice.basic, 'cpu host=server 01');
    assert.deepEqual(cpu.map((s) => s.caption).sort(), ['count', 'up', 'usage_idle', 'usage_user']);
    for (const s of cpu) {
      assert.equal(s.title, 'cpu host=server 01,region=us,west');
      assert.deepEqual(s.tags, ['host=server 01', 'region=us,west']);
      const record = await t.store.getSeries(s.id);
      assert.equal(record?.public, false);
      assert.equal(record?.ownerId, alice.id);
      assert.deepEqual(record?.extra, { influx_database: 'telegraf', influx_measurement: 'cpu', influx_field: s.caption });
    }
    assert.equal(await csvOf('usage_idle', 'cpu host=server 01'), '1700000000,99.5\n1700000001,98.25\n');
    assert.equal(await csvOf('count', 'cpu host=server 01'), '1700000000,3\n');
    assert.equal(await csvOf('up', 'cpu host=server 01'), '1700000000,true\n1700000001,false\n');
    const disk = await listed(alice.basic, 'disk io');
    assert.deepEqual(disk.map((s) => [s.title, s.caption, s.tags]), [['disk io ke=y=a=b,path=/var/lib data', 'reads', ['ke=y=a=b', 'path=/var/lib data']]]);
    // Private: another user's search does not list them.
    const bob = await t.user('influx-bob');
    assert.deepEqual(await listed(bob.basic, 'cpu host=server 01'), []);
  });

  it('sends the same line to the same series, whatever its tag order; another database is another series', async () => {
    const before = (await listed(alice.basic, 'stable')).length;
    for (const line of ['stable,a=1,b=2 v=1 1', 'stable,b=2,a=1 v=2 2', 'stable,a=1,b=2 v=3 3']) {
      assert.equal((await write('/write?db=d1&precision=s', line)).status, 204);
    }
    assert.equal((await listed(alice.basic, 'stable')).length, before + 1);
    assert.equal(await csvOf('v', 'stable'), '1,1\n2,2\n3,3\n');
    assert.equal((await write('/write?db=d2&precision=s', 'stable,a=1,b=2 v=9 1')).status, 204);
    assert.equal((await listed(alice.basic, 'stable')).length, before + 2);
  });

  it('cuts a long title to maxTitleChars with …; of two fields with one key on a line, the second wins', async () => {
    const tags = Array.from({ length: 8 }, (_, i) => `tag${i}=value${i}`).join(',');
    assert.equal((await write('/write?db=long&precision=s', `longtitle,${tags} v=1,v=2 5`)).status, 204);
    const [s] = await listed(alice.basic, 'longtitle tag0=value0');
    assert.equal(s!.title, `${`longtitle ${tags}`.slice(0, 79)}…`);
    assert.equal(s!.title.length, 80);
    assert.equal(s!.tags.length, 8, 'the tags are whole');
    assert.equal(await csvOf('v', 'longtitle tag0=value0'), '5,2\n');
  });

  it('reads every precision; lines without a timestamp take the server time', async () => {
    const cases: [string, string, string][] = [
      ['n', '1700000000123456789', '1700000000.1234567'],
      ['ns', '1700000000123456000', '1700000000.123456'],
      ['u', '1700000000123456', '1700000000.123456'],
      ['ms', '1700000000123', '1700000000.123'],
      ['s', '1700000000', '1700000000'],
      ['m', '28333333', '1699999980'],
      ['h', '472222', '1699999200'],
    ];
    for (const [i, [precision, ts, seconds]] of cases.entries()) {
      const r = await write(`/write?db=prec&precision=${precision}`, `prec${i}z v=1 ${ts}\nprec${i}z v=2`);
      assert.equal(r.status, 204, await r.text());
      assert.equal(await csvOf('v', `prec${i}z`), `${seconds},1\n${NOW},2\n`, precision);
    }
    const bad = await write('/write?db=prec&precision=d', 'x v=1');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: string }).error, /invalid precision "d"/);
  });

  it('takes gzip bodies; a corrupt one is a 400', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `gz,host=a v=${i} ${1_700_000_000 + i}`).join('\n');
    const r = await write('/write?db=gz&precision=s', gzipSync(lines), { authorization: token, 'content-encoding': 'gzip' });
    assert.equal(r.status, 204, await r.text());
    const csv = await csvOf('v', 'gz host=a');
    assert.equal(csv.split('\n').length - 1, 5000);
    assert.ok(csv.startsWith('1700000000,0\n1700000001,1\n') && csv.endsWith('1700004999,4999\n'));
    const corrupt = Buffer.from(gzipSync('gz2 v=1 1'));
    corrupt[corrupt.length - 6] = corrupt[corrupt.length - 6]! ^ 0xff;
    const c = await write('/write?db=gz', corrupt, { authorization: token, 'content-encoding': 'gzip' });
    assert.equal(c.status, 400);
    assert.match(((await c.json()) as { error: string }).error, /gzip body is corrupt/);
    const other = await write('/write?db=gz', 'gz3 v=1', { authorization: token, 'content-encoding': 'br' });
    assert.equal(other.status, 415);
  });

  it('refuses a body with one malformed line with a 400 naming it, and applies nothing', async () => {
    assert.equal((await write('/write?db=bad&precision=s', 'keep v=1 1')).status, 204);
    
    const body = `keep v=2 2\nfresh,t=1 v=1 1\n${'keep v=3 3\n'.repeat(10)}keep v=oops 4\nkeep v=5 5\n`;
    const r = await write('/write?db=bad&precision=s', body);
    assert.equal(r.status, 400);
    const { error } = (await r.json()) as { error: string };
    assert.equal(error, 'line 13: field "v": invalid value "oops": "keep v=oops 4"; nothing was applied');
    assert.equal(await csvOf('v', 'keep'), '1,1\n');
    assert.deepEqual(await listed(alice.basic, 'fresh'), []);
    const s = await write('/write?db=bad', 'keep name="text"');
    assert.equal(s.status, 400);
    assert.match(((await s.json()) as { error: string }).error, /^line 1: field "name" is a string; Timetric values are numbers or booleans/);
  });

  it('answers 413 to a body over maxInfluxBodyBytes, plain (from Content-Length) or a gzip bomb (at the cap, nothing applied)', async () => {
    const piece = Buffer.from('huge v=1 1\n'.repeat(6000));
    const pieces = function* (): Iterable<Buffer> {
      for (let i = 0; i < 1600; i++) yield piece;
    };
    const plain = await sendUntilAnswered(`${t.url}/write?db=big`, 'POST', { authorization: token }, { chunks: pieces(), length: 1600 * piece.length });
    assert.equal(plain.status, 413);
    assert.ok(plain.sent < 16 * 1024 * 1024, `refused after ${plain.sent} of 105 MB`);

    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'bomb v=1 1\n'));
    assert.ok(bomb.length < 200_000);
    const r = await write('/write?db=big', bomb, { authorization: token, 'content-encoding': 'gzip' });
    assert.equal(r.status, 413);
    assert.match(((await r.json()) as { error: string }).error, /over the limit of 1048576 bytes \(decompressed\)/);
    assert.deepEqual(await listed(alice.basic, 'bomb'), []);
  });

  it('checks credentials (Token, Basic, u/p) before reading the body: none or wrong → 401, Connection: close', async () => {
    for (const headers of [{ authorization: token }, { authorization: alice.basic }]) {
      assert.equal((await write('/write?db=auth&precision=s', 'auth v=1 1', headers)).status, 204);
    }
    assert.equal((await write(`/write?db=auth&precision=s&u=${alice.key}&p=${alice.secret}`, 'auth v=1 1', {})).status, 204);
    const chunks = function* (): Iterable<Buffer> {
      for (let i = 0; i < 1600; i++) yield Buffer.from('anon v=1 1\n'.repeat(6000));
    };
    for (const headers of [{}, { authorization: `Token ${alice.key}:wrong` }, { authorization: 'Basic Zm9vOmJhcg==' }]) {
      const a = await sendUntilAnswered(`${t.url}/write?db=auth`, 'POST', headers, { chunks: chunks(), length: 1600 * 66_000 });
      assert.equal(a.status, 401);
      assert.equal(a.headers.connection, 'close');
      assert.ok(a.sent < 16 * 1024 * 1024, `answered after ${a.sent} of 105 MB`);
    }
    const wrongQuery = await write(`/write?db=auth&u=${alice.key}&p=nope`, 'auth v=1 1', {});
    assert.equal(wrongQuery.status, 401);
    assert.deepEqual(await listed(alice.basic, 'anon'), []);
  });

  it('takes the token as Token, Basic or u/p on /write, /api/v2/write and /query alike', async () => {
    const forms: [string, Record<string, string>, string][] = [
      ['Token', { authorization: token }, ''],
      ['Basic', { authorization: alice.basic }, ''],
      ['u/p', {}, `&u=${encodeURIComponent(alice.key)}&p=${encodeURIComponent(alice.secret)}`],
    ];
    for (const [name, headers, query] of forms) {
      const v1 = await write(`/write?db=forms&precision=s${query}`, `forms,via=v1 v=1 1`, headers);
      assert.equal(v1.status, 204, `${name} on /write`);
      const v2 = await write(`/api/v2/write?org=o&bucket=forms&precision=s${query}`, `forms,via=v2 v=1 1`, headers);
      assert.equal(v2.status, 204, `${name} on /api/v2/write`);
      const q = await fetch(`${t.url}/query?q=SHOW+MEASUREMENTS&db=forms${query}`, { headers });
      assert.equal(q.status, 200, `${name} on /query`);
      assert.deepEqual(await q.json(), { results: [{ statement_id: 0, series: [{ name: 'measurements', columns: ['name'], values: [['forms']] }] }] });
    }
    for (const [name, headers, query] of [
      ['Token', { authorization: `Token ${alice.key}:nope` }, ''],
      ['Basic', { authorization: `Basic ${Buffer.from(`${alice.key}:nope`).toString('base64')}` }, ''],
      ['u/p', {}, `&u=${alice.key}&p=nope`],
    ] as const) {
      assert.equal((await write(`/api/v2/write?org=o&bucket=forms${query}`, 'forms v=1', headers)).status, 401, `wrong ${name} on /api/v2/write`);
      assert.equal((await fetch(`${t.url}/query?q=SHOW+DATABASES${query}`, { headers })).status, 401, `wrong ${name} on /query`);
    }
  });

  it('refuses a write that would pass the per-user series cap with a 422 naming it, nothing half-applied', async () => {
    assert.equal(DEFAULT_SERVER_OPTIONS.maxInfluxSeriesPerUser, 10_000, 'the default cap');
    const carol = await t.user('influx-carol');
    const auth = `Token ${carol.key}:${carol.secret}`;
    const lines = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `cap,host=h${from + i} v=${from + i} 1`).join('\n');
    assert.equal((await write('/write?db=cap&precision=s', lines(0, 48), { authorization: auth })).status, 204);
    const over = await write('/write?db=cap&precision=s', `${lines(0, 2).replace(/v=\d+/g, 'v=-1')}\n${lines(48, 51)}`, { authorization: auth });
    assert.equal(over.status, 422);
    assert.match(((await over.json()) as { error: string }).error, /would create 3 new series, and the user holds 48 of at most 50 .*nothing was applied.*maxInfluxSeriesPerUser/);
    assert.equal(await csvOf('v', 'cap host=h0', carol), '1,0\n', 'the existing series were not written either');
    assert.equal((await listed(carol.basic, 'cap')).length, 48);
    const flood = await write('/write?db=cap&precision=s', lines(100, 160), { authorization: auth });
    assert.equal(flood.status, 422);
    assert.match(((await flood.json()) as { error: string }).error, /maxInfluxSeriesPerUser/);
    assert.equal((await write('/write?db=cap&precision=s', lines(48, 50), { authorization: auth })).status, 204);
    assert.equal((await listed(carol.basic, 'cap')).length, 50);
    // Deleting a series frees its place; writing its line again creates a new one.
    const gone = (await listed(carol.basic, 'cap host=h0'))[0]!;
    assert.equal((await fetch(`${t.url}/series/${gone.id}/`, { method: 'DELETE', headers: { authorization: carol.basic } })).status, 204);
    assert.equal((await write('/write?db=cap&precision=s', 'cap,host=h0 v=7 2', { authorization: auth })).status, 204);
    assert.equal(await csvOf('v', 'cap host=h0', carol), '2,7\n');
  });

  it('answers an empty body (a connection test, as Home Assistant makes) with 204', async () => {
    assert.equal((await write('/write?db=empty', '')).status, 204);
    assert.equal((await write('/api/v2/write?org=o&bucket=empty', '\n\n# nothing\n')).status, 204);
  });

  it('needs db, and a 1.x error is {"error": …}', async () => {
    const r = await write('/write', 'x v=1');
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { error: 'the db parameter is required; nothing was applied' });
  });
});

describe('InfluxDB 2.x /api/v2/write', () => {
  it('writes into the bucket with Token KEY:SECRET and gzip; errors are {"code", "message"}', async () => {
    const r = await write('/api/v2/write?org=any&bucket=home&precision=ms', gzipSync('v2,room=kitchen temp=21.5 1700000000250'), {
      authorization: token,
      'content-encoding': 'gzip',
    });
    assert.equal(r.status, 204, await r.text());
    assert.equal(await csvOf('temp', 'v2 room=kitchen'), '1700000000.25,21.5\n');
    assert.equal((await t.store.getSeries((await listed(alice.basic, 'v2 room=kitchen'))[0]!.id))?.extra.influx_database, 'home');
    for (const [precision, ts, seconds] of [['ns', '1700000000123456789', '1700000000.1234567'], ['us', '1700000000123456', '1700000000.123456'], ['s', '1700000000', '1700000000']]) {
      const r2 = await write(`/api/v2/write?org=any&bucket=home&precision=${precision!}`, `v2p${precision!} v=1 ${ts!}`);
      assert.equal(r2.status, 204, precision);
      assert.equal(await csvOf('v', `v2p${precision!}`), `${seconds!},1\n`, precision);
    }
    const bad = await write('/api/v2/write?org=any&bucket=home', 'v2 temp=');
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { code: string; message: string };
    assert.equal(body.code, 'invalid');
    assert.match(body.message, /^line 1: field "temp": invalid value ""/);
    const anon = await write('/api/v2/write?org=any&bucket=home', 'v2 temp=1', {});
    assert.equal(anon.status, 401);
    assert.equal(((await anon.json()) as { code: string }).code, 'unauthorized');
  });
});

describe('/query and /ping', () => {
  it('answers CREATE DATABASE, SHOW DATABASES and SHOW MEASUREMENTS for the asker; refuses others', async () => {
    const dave = await t.user('influx-dave');
    const q = async (text: string, extra = ''): Promise<Response> =>
      fetch(`${t.url}/query?q=${encodeURIComponent(text)}${extra}`, { headers: { authorization: `Token ${dave.key}:${dave.secret}` } });
    assert.deepEqual(await (await q('CREATE DATABASE "tele graf"')).json(), { results: [{ statement_id: 0 }] });
    assert.deepEqual(await (await q('SHOW DATABASES')).json(), { results: [{ statement_id: 0 }] });
    await write('/write?db=tele&precision=s', 'b v=1 1\na v=1 1', { authorization: `Token ${dave.key}:${dave.secret}` });
    assert.deepEqual(await (await q('SHOW DATABASES; SHOW MEASUREMENTS ON "tele"')).json(), {
      results: [
        { statement_id: 0, series: [{ name: 'databases', columns: ['name'], values: [['tele']] }] },
        { statement_id: 1, series: [{ name: 'measurements', columns: ['name'], values: [['a'], ['b']] }] },
      ],
    });
    assert.deepEqual(await (await q('SHOW MEASUREMENTS', '&db=tele')).json(), {
      results: [{ statement_id: 0, series: [{ name: 'measurements', columns: ['name'], values: [['a'], ['b']] }] }],
    });
    const post = await fetch(`${t.url}/query`, {
      method: 'POST',
      headers: { authorization: `Token ${dave.key}:${dave.secret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q: 'SHOW DATABASES' }),
    });
    assert.equal(post.status, 200);
    // A form body cut inside a character ("ü" is two bytes in UTF-8) is read whole.
    await write('/write?db=gr%C3%BC%C3%9Fe&precision=s', 'ü v=1 1', { authorization: `Token ${dave.key}:${dave.secret}` });
    const form = Buffer.from(`q=${encodeURIComponent('SHOW MEASUREMENTS ON "grüße"')}`.replace(/%C3%BC/g, 'ü'));
    const cut = form.indexOf(Buffer.from('ü')) + 1;
    const split = await fetch(`${t.url}/query`, {
      method: 'POST',
      headers: { authorization: `Token ${dave.key}:${dave.secret}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new Uint8Array(form.subarray(0, cut)));
          controller.enqueue(new Uint8Array(form.subarray(cut)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    assert.deepEqual(await split.json(), { results: [{ statement_id: 0, series: [{ name: 'measurements', columns: ['name'], values: [['ü']] }] }] });
    const select = await q('SELECT * FROM a');
    assert.equal(select.status, 400);
    assert.match(((await select.json()) as { error: string }).error, /answers only CREATE DATABASE, SHOW DATABASES and SHOW MEASUREMENTS/);
    assert.equal((await fetch(`${t.url}/query?q=SHOW+DATABASES`)).status, 401);
  });

  it('answers /ping with 204 and X-Influxdb-Version, without credentials', async () => {
    const r = await fetch(`${t.url}/ping`);
    assert.equal(r.status, 204);
    assert.match(r.headers.get('x-influxdb-version') ?? '', /^1\.8\./);
    assert.equal((await fetch(`${t.url}/ping`, { method: 'HEAD' })).status, 204);
    assert.deepEqual(await (await fetch(`${t.url}/ping?verbose=true`)).json(), { version: r.headers.get('x-influxdb-version') });
  });
});
