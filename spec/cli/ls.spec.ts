// `timetric ls [--tag T]… [--json]` against our server on port 0: the series the token may read
// (its own, and other users' public ones; never others' private ones), oldest first, through the
// search endpoint page after page (client.search: 100 a page), as a table or one JSON object a
// line; --tag narrows to series carrying every tag given.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TimetricClient } from '../../src/client/TimetricClient.js';
import { assertHelpOptionsAccepted, runInProcess } from '../helpers/cliRunner.js';
import { startServer, type TestServer } from '../helpers/startServer.js';

let server: TestServer;
let env: Record<string, string>;
const mine: string[] = [];
let theirsPublic = '';

before(async () => {
  server = await startServer();
  const me = await server.user();
  const other = await server.user();
  const client = (u: typeof me) => new TimetricClient({ authtype: 'apitoken', apitoken_key: u.key, apitoken_secret: u.secret }, { baseUrl: server.url });
  // 105 of my own: the listing needs two pages.
  for (let i = 0; i < 105; i++) {
    mine.push((await client(me).createSeries({ title: `mine ${i}`, caption: 'kWh', tags: i % 10 === 0 ? ['power', 'roof'] : ['power'] })).id);
  }
  theirsPublic = (await client(other).createSeries({ title: 'theirs', caption: '°C', tags: ['roof'], public: true })).id;
  await client(other).createSeries({ title: 'secret', caption: 'x', tags: ['roof'] });
  env = { TIMETRIC_URL: server.url, TIMETRIC_KEY: me.key, TIMETRIC_SECRET: me.secret };
});
after(() => server.close());

const ls = (args: string[]) => runInProcess(['ls', ...args], { env });

describe('timetric ls', () => {
  it('has --help listing its options, each accepted', async () => {
    const help = await ls(['--help']);
    assert.equal(help.code, 0);
    const options = await assertHelpOptionsAccepted(['ls'], help.stdout);
    for (const o of ['--tag', '--json', '--help']) assert.ok(options.includes(o), `${o} in ${options.join(' ')}`);
    assert.match((await runInProcess(['--help'])).stdout, /\n {2}ls {2,}list the series you can read/);
  });

  it('lists every series the token may read, over pages, as a table: mine and public ones, not private ones of others', async () => {
    const run = await ls([]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.deepEqual(lines[0]!.split(/\s{2,}/), ['ID', 'TITLE', 'CAPTION', 'TAGS']);
    const ids = lines.slice(1).map((l) => l.split(/\s{2,}/)[0]);
    assert.deepEqual(ids, [...mine, theirsPublic]);
    assert.deepEqual(lines[1]!.split(/\s{2,}/), [mine[0], 'mine 0', 'kWh', 'power,roof']);
  });

  it('--json prints one object a line; --tag narrows to series carrying every tag given', async () => {
    const run = await ls(['--tag', 'roof', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const got = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; title: string; caption: string; tags: string[]; url: string });
    assert.deepEqual(got.map((s) => s.id), [...mine.filter((_, i) => i % 10 === 0), theirsPublic]);
    assert.deepEqual(got.at(-1), { id: theirsPublic, title: 'theirs', caption: '°C', tags: ['roof'], url: `${server.url}/series/${theirsPublic}/` });
    const both = await ls(['--tag', 'roof', '--tag', 'power', '--json']);
    assert.equal(both.stdout.trimEnd().split('\n').length, 11);
    const none = await ls(['--tag', 'nosuchtag']);
    assert.deepEqual(none, { code: 0, stdout: 'ID  TITLE  CAPTION  TAGS\n', stderr: '' });
  });
});
