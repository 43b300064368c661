// The client commands of `timetric` (create, push, cat, tail, rm) run as a user runs them (a child
// process, the CLI bundled once with esbuild) against our server on port 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { assertOneLineError, bundleCli, ROOT, runCli, type CliRun } from '../helpers/cliRunner.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let MAIN = '';
let removeBundle = (): void => {};
// Prints the child's peak RSS (bytes) as the last stderr line, for the streaming check.
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss '+process.resourceUsage().maxRSS*1024+'\\n'))`;

let server: TestServer;
let user: TestUser;
let env: Record<string, string>;
let dir = '';

const timetric = (args: string[], options: { input?: string; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<CliRun> =>
  runCli(MAIN, args, { ...options, env: { ...env, ...options.env } });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'timetric-cli-client-'));
  ({ main: MAIN, remove: removeBundle } = await bundleCli('client-main'));
  server = await startServer();
  user = await server.user();
  env = { TIMETRIC_URL: server.url, TIMETRIC_KEY: user.key, TIMETRIC_SECRET: user.secret };
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  removeBundle();
});

describe('timetric client commands', () => {
  it('has --help on every client command, listed in timetric --help', async () => {
    const names = ['create', 'push', 'cat', 'tail', 'rm'];
    const overview = await timetric(['--help']);
    for (const name of names) assert.match(overview.stdout, new RegExp(`\\n  ${name} `));
    const runs = await Promise.all(names.map((n) => timetric([n, '--help'])));
    runs.forEach((run, i) => {
      assert.equal(run.code, 0);
      assert.match(run.stdout, new RegExp(`^Usage: timetric ${names[i]}`));
      assert.match(run.stdout, /TIMETRIC_URL/);
      assert.match(run.stdout, /Exit codes: 0 ok, 1 failure/);
    });
  });

  it('create prints the id; push of 1,000,000 lines streams with bounded memory; cat returns what was pushed; rm deletes', async () => {
    const created = await timetric(['create', '--title', 'Big', '--caption', 'n', '--tags', 'a,b']);
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    assert.match(id, /^[A-Za-z0-9_-]+$/);

    const file = join(dir, 'million.csv');
    const out = createWriteStream(file);
    const t0 = 1_600_000_000;
    for (let chunk = 0; chunk < 100; chunk++) {
      let text = '';
      for (let i = chunk * 10_000; i < (chunk + 1) * 10_000; i++) text += `${t0 + i},${(i % 1000) / 4}\n`;
      if (!out.write(text)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    const started = performance.now();
    const pushed = await timetric(['push', id, file], { nodeArgs: ['--import', REPORT_RSS] });
    const seconds = (performance.now() - started) / 1000;
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.equal(pushed.stdout, '1000000\n');
    const rss = Number(/maxrss (\d+)/.exec(pushed.stderr)?.[1]);
    process.stderr.write(`# push 1,000,000 points: ${seconds.toFixed(1)} s (${Math.round(1e6 / seconds)} points/s incl. process start), child peak RSS ${(rss / 2 ** 20).toFixed(0)} MB\n`);
    assert.ok(rss > 0 && rss < 200 * 2 ** 20, `peak RSS ${rss}`);

    const cat = await timetric(['cat', id]);
    assert.equal(cat.code, 0, cat.stderr);
    assert.equal(cat.stdout, readFileSync(file, 'utf8'));

    const part = await timetric(['cat', id, '--start', String(t0 + 10), '--end', String(t0 + 12), '--format', 'json']);
    assert.equal(part.stdout, `[${t0 + 10},2.5]\n[${t0 + 11},2.75]\n`);

    const rm = await timetric(['rm', id]);
    assert.equal(rm.code, 0, rm.stderr);
    assertOneLineError(await timetric(['cat', id]), 3, /not found|no series|404/i);
  });

  it('push reads stdin, create takes data', async () => {
    const created = await timetric(['create', '--title', 'Piped', '--caption', 'x', '-'], { input: '1700000000,1\n1700000001,2\n' });
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    const pushed = await timetric(['push', id], { input: '1700000002,3\n' });
    assert.equal(pushed.stdout, '1\n');
    assert.equal((await timetric(['cat', id])).stdout, '1700000000,1\n1700000001,2\n1700000002,3\n');
  });

  it('tail prints a new write', async () => {
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl: server.url });
    const series = await client.createSeries({ title: 'Tailed', caption: 'x' }, [[1700000000, 1]]);
    const child = spawn(process.execPath, [MAIN, 'tail', series.id, '--interval', '100'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    assert.equal((await lines.next()).value, '1700000000,1');
    await lastValueFrom(series.update([[1700000005, 42]]));
    assert.equal((await lines.next()).value, '1700000005,42');
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  });

  it('bad flags exit 2, unreachable servers exit 1, unknown series exit 3: one line each', async () => {
    assertOneLineError(await timetric(['cat', 'x', '--bogus']), 2, /Unknown option '--bogus'/);
    assertOneLineError(await timetric(['cat', 'x', '--format', 'xml']), 2, /--format must be csv or json/);
    assertOneLineError(await timetric(['create', '--caption', 'c']), 2, /missing --title/);
    assertOneLineError(await timetric(['tail', 'x', '--interval', 'soon']), 2, /--interval/);
    assertOneLineError(await timetric(['cat', 'x'], { env: { TIMETRIC_KEY: '' } }), 2, /an API token is needed/);
    assertOneLineError(await timetric(['cat', 'x'], { env: { TIMETRIC_URL: 'http://127.0.0.1:9' } }), 1, /./);
    assertOneLineError(await timetric(['rm', 'AAAAAAAAAAAAAAAAAAAAAA']), 3, /./);
    assertOneLineError(await timetric(['cat', 'AAAAAAAAAAAAAAAAAAAAAA'], { env: { TIMETRIC_SECRET: 'wrong' } }), 3, /./);
  });
});
