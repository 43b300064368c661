// `timetric serve` takes its address from the flags, TIMETRIC_PORT/TIMETRIC_HOST, then PORT/HOST,
// and a listen that fails is one line, exit 1, with no database file left behind.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SERVE_ADDRESS, serveAddress } from '../../src/cli/serveCommand.js';
import { UsageError } from '../../src/cli/UsageError.js';
import { assertOneLineError, ROOT, runInProcess } from '../helpers/cliRunner.js';
import { spawnServe } from './spawnServe.js';

const listenOn = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });

describe('timetric serve: address from flags and environment, a failed listen leaves nothing', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'timetric-serve-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('takes each of port and host from the flag, else TIMETRIC_*, else PORT/HOST, else the default', () => {
    assert.deepEqual(serveAddress({}, {}), DEFAULT_SERVE_ADDRESS);
    assert.deepEqual(serveAddress({}, { PORT: '9090', HOST: '0.0.0.0' }), { port: 9090, host: '0.0.0.0' });
    assert.deepEqual(serveAddress({}, { PORT: '9090', TIMETRIC_PORT: '9191', HOST: '0.0.0.0', TIMETRIC_HOST: '::1' }), { port: 9191, host: '::1' });
    assert.deepEqual(serveAddress({ port: '0', host: 'localhost' }, { PORT: '9090', TIMETRIC_PORT: '9191', HOST: 'h', TIMETRIC_HOST: 'th' }), { port: 0, host: 'localhost' });
    // Each on its own: a flag for one does not hide the variable for the other; empty is unset.
    assert.deepEqual(serveAddress({ port: '1' }, { HOST: '0.0.0.0', TIMETRIC_PORT: '2' }), { port: 1, host: '0.0.0.0' });
    assert.deepEqual(serveAddress({}, { TIMETRIC_PORT: '', PORT: '3', TIMETRIC_HOST: '' }), { port: 3, host: DEFAULT_SERVE_ADDRESS.host });
  });

  it('names the flag or variable that holds a bad port', () => {
    assert.throws(() => serveAddress({}, { PORT: 'http' }), (e: unknown) => e instanceof UsageError && /^PORT must be a whole number from 0 to 65535, got "http"$/.test(e.message));
    assert.throws(() => serveAddress({}, { TIMETRIC_PORT: '65536' }), /^UsageError: TIMETRIC_PORT must be/);
    assert.throws(() => serveAddress({ port: '-1' }, {}), /--port must be/);
    assert.throws(() => serveAddress({}, { PORT: '1'.repeat(100_000) }), /PORT must be/);
  });

  it('a port in use is one line naming it (exit 1), and no database file is created', async () => {
    const busy = await listenOn(0);
    const port = (busy.address() as { port: number }).port;
    try {
      const db = join(dir, 'timetric.db');
      const viaFlag = await runInProcess(['serve', '--port', String(port), '--db', db], { env: { TIMETRIC_DB: '' } });
      assertOneLineError(viaFlag, 1, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
      const viaEnv = await runInProcess(['serve'], { env: { TIMETRIC_DB: db, PORT: String(port), HOST: '127.0.0.1' } });
      assertOneLineError(viaEnv, 1, new RegExp(`127\\.0\\.0\\.1:${port}: the port is in use; .*PORT`));
      assert.deepEqual(readdirSync(dir), [], 'nothing left behind');
      assert.ok(!existsSync(db));
    } finally {
      busy.close();
    }
  });

  it('a database that was there before stays after a failed listen', async () => {
    const busy = await listenOn(0);
    const port = (busy.address() as { port: number }).port;
    const db = join(dir, 'kept.db');
    try {
      assert.equal((await runInProcess(['user', 'add', 'ada', '--password', 'pw', '--db', db], { env: { TIMETRIC_DB: '' } })).code, 0);
      assertOneLineError(await runInProcess(['serve', '--port', String(port), '--db', db], { env: { TIMETRIC_DB: '' } }), 1, /the port is in use/);
      assert.ok(existsSync(db));
      assert.equal((await runInProcess(['user', 'add', 'ada', '--password', 'pw', '--db', db], { env: { TIMETRIC_DB: '' } })).code, 1, 'ada is still there');
    } finally {
      busy.close();
      rmSync(db, { force: true });
    }
  });

  it('listens where PORT and HOST say (a process: the variables of its own environment)', async () => {
    const free = await listenOn(0);
    const port = (free.address() as { port: number }).port;
    await new Promise((resolve) => free.close(resolve));
    const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', TIMETRIC_PORT: '', TIMETRIC_HOST: '', TIMETRIC_DB: ':memory:' };
    const serve = await spawnServe(process.execPath, ['--import', import.meta.resolve('tsx'), join(ROOT, 'src', 'cli', 'main.ts'), 'serve'], { cwd: dir, env });
    try {
      assert.equal(serve.url, `http://127.0.0.1:${port}`);
      assert.equal((await fetch(`${serve.url}/`)).status, 200);
    } finally {
      const { code, stderr } = await serve.stop();
      assert.equal(code, 0, stderr);
    }
  });
});
