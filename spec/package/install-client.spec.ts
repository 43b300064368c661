// `npm install timetric rxjs` as a user runs it, from the packed tarball (npm run pack): the tree
// holds no server dependency and nothing native, npm warns of nothing, the ESM and CommonJS entries
// load, and their types check in an ESM and a CommonJS consumer.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { installed, npmInstall, packed, ROOT, run, typecheck } from './packedPackages.js';

/** Packages of the server that must never come with the client. */
const SERVER_ONLY = ['fastify', 'better-sqlite3', 'pg', 'pg-copy-streams', 'mqtt', '@fastify/cors', '@fastify/formbody', '@fastify/multipart', 'light-my-request', '@types/better-sqlite3'];

describe('the client package (timetric), packed and installed into a new app', () => {
  let tmp = '';
  let app = '';
  let log = '';

  before(async () => {
    const p = packed();
    tmp = p.tmp;
    app = join(tmp, 'app');
    log = await npmInstall(app, [p.client, 'rxjs@7.8.2']);
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('brings no server dependency, nothing native, and npm warns of nothing', () => {
    const all = installed(app);
    const names = all.map((p) => p.name);
    assert.ok(names.includes('timetric') && names.includes('rxjs'), names.join(' '));
    for (const s of SERVER_ONLY) assert.ok(!names.includes(s), `${s} came with the client`);
    for (const { name, path } of all) {
      const pkg = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; gypfile?: boolean };
      const build = ['preinstall', 'install', 'postinstall'].filter((s) => pkg.scripts?.[s]);
      assert.deepEqual(build, [], `${name} has install scripts`);
      assert.ok(!pkg.gypfile && !existsSync(join(path, 'binding.gyp')), `${name} builds native code`);
    }
    // timetric, rxjs, tslib (rxjs's), papaparse, oauth-1.0a, eventsource-parser.
    assert.ok(names.length <= 8, `the client brought ${names.length} packages: ${names.join(' ')}`);
    assert.doesNotMatch(log, /npm (warn|error)/i, `npm warned while installing the client:\n${log}`);
    // The published manifest is the user's: no scripts, no development dependencies.
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules', 'timetric', 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.scripts, undefined);
    assert.equal(manifest.devDependencies, undefined);
    assert.equal(manifest.bin, undefined, 'the timetric command comes with timetric-server');
  });

  it('loads with import and with require; timetric/server without timetric-server names a missing dependency', () => {
    const esm = run(process.execPath, ['--input-type=module', '-e', "const c = await import('timetric'); console.log(typeof c.TimetricClient, typeof c.writeTo, typeof c.parseTime)"], app);
    assert.equal(esm.stdout.trim(), 'function function function');
    const cjs = run(process.execPath, ['-e', "const c = require('timetric'); console.log(typeof c.TimetricClient, typeof c.CsvPointDecoder)"], app);
    assert.equal(cjs.stdout.trim(), 'function function');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('timetric/server')"], { cwd: app, encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Cannot find (package|module) '(fastify|better-sqlite3|@fastify\/[a-z]+)'/);
  });

  it('its types check in an ESM and a CommonJS consumer, and the README example compiles (tsc strict, declarations checked)', () => {
    typecheck(app, {
      'esm.mts': [
        "import { TimetricClient, writeTo, type Point } from 'timetric';",
        "import { map, of } from 'rxjs';",
        "const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: 'k', apitoken_secret: 's' }, { baseUrl: 'http://localhost:8080' });",
        "const series = client.series('abc');",
        'const first: Point[] = [];',
        'const latest: (Point | null)[] = [];',
        'series.values$.subscribe((p) => first.push(p));',
        'series.latest$.subscribe((p) => latest.push(p));',
        'of(1, 2).pipe(map((value) => [new Date(), value] as const), writeTo(series)).subscribe();',
        'export { first, latest };',
        '',
      ].join('\n'),
      // The README's first example, as a user pastes it.
      'readme.mts': `${/```ts\n([^]*?)```/.exec(readFileSync(join(ROOT, 'README.md'), 'utf8'))![1]!}export {};\n`,
      'cjs.cts': [
        "import timetric = require('timetric');",
        "const client: timetric.TimetricClient = new timetric.TimetricClient({ authtype: 'anonymous' });",
        'export = client;',
        '',
      ].join('\n'),
    });
  });
});
