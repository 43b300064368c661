// `npm install timetric-server` as a user runs it, from the packed tarballs (npm run pack): npm
// warns of no engine, the package gives the `timetric` command and the server API (ESM, CommonJS,
// types with @types/better-sqlite3), and `timetric serve` serves.
//
// better-sqlite3 is installed without its build step and given the repository's compiled binding
// when the versions match: compiling SQLite again takes minutes and proves nothing about packaging.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { npmInstall, packed, ROOT, run, typecheck, versionIn } from './packedPackages.js';
import { spawnServe } from './spawnServe.js';

describe('the server package (timetric-server), packed and installed into a new app', () => {
  let tmp = '';
  let app = '';
  let log = '';

  before(async () => {
    const p = packed();
    tmp = p.tmp;
    app = join(tmp, 'app');
    // The timetric tarball is named too: it is not published yet, and npm takes it for the dependency.
    log = await npmInstall(app, ['--ignore-scripts', p.client, p.server]);
    if (versionIn(ROOT, 'better-sqlite3') === versionIn(app, 'better-sqlite3')) {
      const release = join(app, 'node_modules', 'better-sqlite3', 'build', 'Release');
      mkdirSync(release, { recursive: true });
      copyFileSync(join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(release, 'better_sqlite3.node'));
    } else {
      run('npm', ['rebuild', 'better-sqlite3'], app);
    }
  });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('installs without engine warnings; cookie is one that supports Node 20', () => {
    assert.doesNotMatch(log, /EBADENGINE/, log);
    assert.match(versionIn(app, 'cookie'), /^1\./);
    assert.ok(existsSync(join(app, 'node_modules', '.bin', 'timetric')));
  });

  it('gives the server API by its name and as timetric/server, with import, require and types', () => {
    const esm = run(process.execPath, ['--input-type=module', '-e', "const s = await import('timetric-server'); const t = await import('timetric/server'); console.log(typeof s.createTimetricServer, s.openStore === t.openStore)"], app);
    assert.equal(esm.stdout.trim(), 'function true');
    const cjs = run(process.execPath, ['-e', "const s = require('timetric-server'); console.log(typeof s.createTimetricServer)"], app);
    assert.equal(cjs.stdout.trim(), 'function');
    typecheck(app, {
      'server.mts': [
        "import { createTimetricServer, openStore, StoreConflictError, type TimetricServer } from 'timetric-server';",
        "import { TimetricError } from 'timetric';",
        "const server: TimetricServer = createTimetricServer({ store: await openStore(':memory:') });",
        "export const url: string = await server.listen({ port: 0, host: '127.0.0.1' });",
        "export const same: boolean = new StoreConflictError('x') instanceof TimetricError;",
        '',
      ].join('\n'),
    });
  });

  it('`timetric serve` serves (GET /) and stops on SIGTERM', async () => {
    const serve = await spawnServe(join(app, 'node_modules', '.bin', 'timetric'), ['serve', '--port', '0', '--db', join(app, 'app.db')], { cwd: app });
    try {
      const r = await fetch(`${serve.url}/`);
      assert.equal(r.status, 200);
      assert.match(await r.text(), /Timetric-compatible server/);
    } finally {
      const { code, stderr } = await serve.stop();
      assert.equal(code, 0, stderr);
    }
  });
});
