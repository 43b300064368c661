// The client commands of `timetric` (create, push, cat, tail, rm) against our server on port 0.
// What only a process shows (exit status, stdout drained to a slow reader, EPIPE from `| head`,
// SIGINT, start-up without the server code, the memory of a 1,000,000-line push) runs the CLI as a
// user does: a child process, the CLI bundled once with esbuild. The many checks of arguments,
// help texts and error lines run the same command line in-process (runTimetric), which is fast.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { runTimetric } from '../../src/cli/runTimetric.js';
import { assertHelpOptionsAccepted, assertOneLineError, bundleCli, ROOT, runCli, runInProcess, type CliRun } from '../helpers/cliRunner.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let MAIN = '';
let removeBundle = (): void => {};
// Prints the child's peak RSS (bytes) as the last stderr line, for the streaming check.
const REPORT_RSS = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss '+process.resourceUsage().maxRSS*1024+'\\n'))`;
// Prints how many modules of the server's packages (Fastify, better-sqlite3) the child loaded.
const REPORT_SERVER_MODULES = `data:text/javascript,import{createRequire}from'node:module';const c=createRequire('/').cache;process.on('exit',()=>process.stderr.write('server modules '+Object.keys(c).filter((k)=>/node_modules[\\\\/](fastify|better-sqlite3)[\\\\/]/.test(k)).length+'\\n'))`;

let server: TestServer;
let user: TestUser;
let client: TimetricClient;
let env: Record<string, string>;
let dir = '';

/** The CLI as a child process. */
const timetric = (args: string[], options: { input?: string; nodeArgs?: string[]; env?: Record<string, string> } = {}): Promise<CliRun> =>
  runCli(MAIN, args, { ...options, env: { ...env, ...options.env } });
/** The same command line in this process. */
const inProcess = (args: string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliRun> =>
  runInProcess(args, { ...options, env: { ...env, ...options.env } });
/** The CLI as a child process whose stdout the test reads itself. */
const spawnCli = (args: string[]): ChildProcessByStdio<null, Readable, Readable> =>
  spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, TIMETRIC_DEBUG: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
/** Collects a child's stderr and resolves with its exit code. */
function exitOf(child: ChildProcessByStdio<null, Readable, Readable>): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stderr })));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'timetric-cli-client-'));
  ({ main: MAIN, remove: removeBundle } = await bundleCli('client-main'));
  server = await startServer();
  user = await server.user();
  client = new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl: server.url });
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
    assert.equal(overview.code, 0);
    for (const name of names) assert.match(overview.stdout, new RegExp(`\\n  ${name} `));
    assert.match(overview.stdout, /\nExit codes: 0 ok, 1 failure, 2 usage error, 3 series not found or token refused\.\n/);
    for (const name of names) {
      const run = await inProcess([name, '--help']);
      assert.equal(run.code, 0);
      assert.equal(run.stderr, '');
      assert.match(run.stdout, new RegExp(`^Usage: timetric ${name} `));
      assert.match(run.stdout, /--url URL .*TIMETRIC_URL/);
      assert.match(run.stdout, /Exit codes: 0 ok, 1 failure .*, 2 usage error,\n3 series not found/);
      const options = await assertHelpOptionsAccepted([name], run.stdout);
      assert.ok(options.includes('--key') && options.includes('--help'), options.join(' '));
    }
  });

  it('starts without loading the server code: cat of a small series', async () => {
    const series = await client.createSeries({ title: 'Small', caption: 'x' }, [[1700000000, 1], [1700000001, 2.5]]);
    const run = await timetric(['cat', series.id], { nodeArgs: ['--import', REPORT_SERVER_MODULES] });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '1700000000,1\n1700000001,2.5\n');
    assert.equal(run.stderr, 'server modules 0\n');
  });

  describe('a 1,000,000-line series', () => {
    const t0 = 1_600_000_000;
    let file = '';
    let id = '';
    before(async () => {
      file = join(dir, 'million.csv');
      const out = createWriteStream(file);
      for (let chunk = 0; chunk < 100; chunk++) {
        let text = '';
        for (let i = chunk * 10_000; i < (chunk + 1) * 10_000; i++) text += `${t0 + i},${(i % 1000) / 4}\n`;
        if (!out.write(text)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
    });

    it('create prints the id; push streams the file with bounded memory and ends with a summary line', async () => {
      const created = await inProcess(['create', '--title', 'Big', '--caption', 'n', '--tags', 'a,b']);
      assert.equal(created.code, 0, created.stderr);
      id = created.stdout.trim();
      assert.match(id, /^[A-Za-z0-9_-]+$/);
      const record = await server.store.getSeries(id);
      assert.deepEqual([record?.title, record?.caption, record?.tags], ['Big', 'n', ['a', 'b']]);

      const started = performance.now();
      const pushed = await timetric(['push', id, file], { nodeArgs: ['--import', REPORT_RSS] });
      const seconds = (performance.now() - started) / 1000;
      assert.equal(pushed.code, 0, pushed.stderr);
      assert.match(pushed.stdout, /^1,000,000 points written in \d+\.\d s\n$/);
      const rss = Number(/maxrss (\d+)/.exec(pushed.stderr)?.[1]);
      process.stderr.write(`# push 1,000,000 points: ${seconds.toFixed(1)} s (${Math.round(1e6 / seconds)} points/s incl. process start), child peak RSS ${(rss / 2 ** 20).toFixed(0)} MB\n`);
      assert.ok(rss > 0 && rss < 200 * 2 ** 20, `peak RSS ${rss}`);
    });

    it('cat to a slow reader prints every line, as pushed, and exits 0 once drained', async () => {
      const child = spawnCli(['cat', id]);
      const exited = exitOf(child);
      // A reader slower than the writer: each chunk is taken only after a turn of the event loop.
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        child.stdout.pause();
        setImmediate(() => child.stdout.resume());
      });
      const { code, stderr } = await exited;
      assert.equal(stderr, '');
      assert.equal(code, 0);
      assert.ok(chunks.length > 10, `read in ${chunks.length} chunks`);
      assert.equal(Buffer.concat(chunks).toString(), readFileSync(file, 'utf8'));
    });

    it('cat | head: the reader leaving (EPIPE) ends cat quietly with exit 0', async () => {
      const child = spawnCli(['cat', id]);
      const exited = exitOf(child);
      const [first] = (await once(child.stdout, 'data')) as [Buffer];
      assert.match(first.toString(), /^1600000000,0\n1600000001,0.25\n/);
      child.stdout.destroy(); // as `head` exits after its lines
      assert.deepEqual(await exited, { code: 0, stderr: '' });
    });

    it('cat --start/--end/--format json/--iso reads a range; rm deletes (then exit 3)', async () => {
      const part = await inProcess(['cat', id, '--start', String(t0 + 10), '--end', String(t0 + 12), '--format', 'json']);
      assert.equal(part.stdout, `[${t0 + 10},2.5]\n[${t0 + 11},2.75]\n`);
      const iso = await inProcess(['cat', id, '--start', '2020-09-13T12:26:40Z', '--end', String(t0 + 1), '--iso']);
      assert.equal(iso.stdout, '2020-09-13T12:26:40Z,0\n');
      assertOneLineError(await inProcess(['rm', id]), 2, /^timetric rm: deleting series \S+ needs --yes when standard input is not a terminal; nothing deleted/);
      assert.ok(await server.store.getSeriesHead(id), 'not deleted without --yes');
      const rm = await inProcess(['rm', id, '--yes']);
      assert.deepEqual(rm, { code: 0, stdout: '', stderr: '' });
      assertOneLineError(await timetric(['cat', id]), 3, /^timetric cat: .*not found/i);
    });
  });

  it('push reads stdin (a process) or a file, create takes data; a bad line or a missing file is one line', async () => {
    const created = await inProcess(['create', '--title', 'Piped', '--caption', 'x', '-'], { input: '1700000000,1\n1700000001,2\n' });
    assert.equal(created.code, 0, created.stderr);
    const id = created.stdout.trim();
    const pushed = await timetric(['push', id], { input: '1700000002,3\n' });
    assert.deepEqual({ ...pushed, stdout: pushed.stdout.replace(/\d+\.\d s/, 'T s') }, { code: 0, stdout: '1 point written in T s\n', stderr: '' });
    assert.equal((await inProcess(['cat', id])).stdout, '1700000000,1\n1700000001,2\n1700000002,3\n');

    assertOneLineError(await inProcess(['push', id, '-'], { input: '1700000003,4\nsoon,5\n' }), 1, /^timetric push: CSV line 2: .*"soon,5"/);
    assertOneLineError(await inProcess(['push', id, join(dir, 'missing.csv')]), 1, /^timetric push: cannot read ".*missing\.csv": no such file\n$/);
    assertOneLineError(await inProcess(['push', id, dir]), 1, /cannot read ".*": it is a directory/);
    const file = join(dir, 'file.csv');
    writeFileSync(file, '1700000004,5\n');
    // Bare values, one a line (a sensor piped in), are stamped on arrival, each later than the one before.
    const before = Date.now() / 1000;
    const bare = await timetric(['push', id], { input: '21.5\n21.5\nnull\n' });
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stdout, /^3 points written in /);
    const stamped = (await inProcess(['cat', id, '--start', String(before), '--format', 'json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as [number, unknown]);
    assert.deepEqual(stamped.map(([, v]) => v), [21.5, 21.5, null]);
    assert.ok(stamped[0]![0] >= before && stamped[0]![0] < stamped[1]![0] && stamped[1]![0] < stamped[2]![0] && stamped[2]![0] <= Date.now() / 1000 + 1, JSON.stringify(stamped));
    const fromFile = await inProcess(['push', id, file]);
    assert.deepEqual({ ...fromFile, stdout: fromFile.stdout.replace(/\d+\.\d s/, 'T s') }, { code: 0, stdout: '1 point written in T s\n', stderr: '' });
  });

  it('tail prints a new write (auto, push and poll modes); SIGINT ends it with 0, and so does its reader leaving (| head)', { timeout: 30_000 }, async (t) => {
    const series = await client.createSeries({ title: 'Tailed', caption: 'x' }, [[1700000000, 1]]);
    const interrupted = spawnCli(['tail', series.id, '--interval', '100']);
    const headed = spawnCli(['tail', series.id, '--interval', '100']);
    const pushed = spawnCli(['tail', series.id, '--mode', 'push', '--interval', '60000', '--verbose']);
    const polled = spawnCli(['tail', series.id, '--mode', 'poll', '--interval', '100', '--verbose']);
    const children = [interrupted, headed, pushed, polled];
    t.after(() => children.forEach((c) => c.kill('SIGKILL'))); // when an assertion failed first; no-ops once they exited
    const [interruptedExit, headedExit, pushedExit, polledExit] = children.map(exitOf);
    const [lines, pushedLines, polledLines] = [interrupted, pushed, polled].map((c) => createInterface({ input: c.stdout })[Symbol.asyncIterator]());
    const [first] = (await once(headed.stdout, 'data')) as [Buffer];
    assert.equal(first.toString(), '1700000000,1\n');
    headed.stdout.destroy(); // read one line and left
    for (const l of [lines, pushedLines, polledLines]) assert.equal((await l!.next()).value, '1700000000,1');
    await lastValueFrom(series.update([[1700000005, 42]]));
    // push with a 60 s interval: only push can deliver it before the test's timeout
    for (const l of [lines, pushedLines, polledLines]) assert.equal((await l!.next()).value, '1700000005,42');
    for (const c of [interrupted, pushed, polled]) c.kill('SIGINT');
    assert.deepEqual(await interruptedExit, { code: 0, stderr: '' });
    assert.deepEqual(await headedExit, { code: 0, stderr: '' }); // its next line hit EPIPE
    assert.deepEqual(await pushedExit, { code: 0, stderr: 'timetric tail: following over push\n' });
    assert.deepEqual(await polledExit, { code: 0, stderr: 'timetric tail: following over poll\n' });
  });

  it('tail --mode push against a server without push: one line, exit 1', async () => {
    const historical = await startServer({ push: false });
    try {
      const u = await historical.user();
      const c = new TimetricClient({ authtype: 'apitoken', apitoken_key: u.key, apitoken_secret: u.secret }, { baseUrl: historical.url });
      const series = await c.createSeries({ title: 'Old', caption: 'x' }, [[1700000000, 1]]);
      const env2 = { TIMETRIC_URL: historical.url, TIMETRIC_KEY: u.key, TIMETRIC_SECRET: u.secret };
      assertOneLineError(await inProcess(['tail', series.id, '--mode', 'push'], { env: env2 }), 1, /^timetric tail: the server does not offer push .*--mode auto or poll/);
    } finally {
      await historical.close();
    }
  });

  it('rm on a terminal asks first: "y" deletes, anything else exits 1 with nothing deleted', async () => {
    /** `rm ID` with a terminal's stdin that answers `answer`. */
    const onTerminal = async (id: string, answer: string): Promise<CliRun> => {
      let stdout = '';
      let stderr = '';
      const stdin = Object.assign(Readable.from([answer]), { isTTY: true });
      const code = await runTimetric(['rm', id], {
        out: (text) => void (stdout += text),
        err: (text) => void (stderr += text),
        drained: () => Promise.resolve(),
        outClosed: new AbortController().signal,
        env: { ...process.env, TIMETRIC_DEBUG: '', ...env },
        stdin,
      });
      return { code, stdout, stderr };
    };
    const id = (await inProcess(['create', '--title', 'Doomed', '--caption', 'x'])).stdout.trim();
    for (const answer of ['n\n', '\n', 'yess\n', '']) {
      const kept = await onTerminal(id, answer);
      assert.deepEqual(kept, { code: 1, stdout: '', stderr: `timetric rm: delete series ${id} and all its points? [y/N] timetric rm: not deleted\n` }, JSON.stringify(answer));
    }
    assert.ok(await server.store.getSeriesHead(id), 'still there');
    assert.deepEqual(await onTerminal(id, ' Y \n'), { code: 0, stdout: '', stderr: `timetric rm: delete series ${id} and all its points? [y/N] ` });
    assert.equal(await server.store.getSeriesHead(id), undefined, 'deleted');
  });

  it('bad flags exit 2, unreachable servers exit 1, unknown series exit 3: one line each', async () => {
    // An id of the right form that no series has (the malformed ones are usage errors).
    const UNKNOWN = 'AAAAAAAAAAAAAAAAAAAAAA';
    // As processes: the exit status itself.
    assertOneLineError(await timetric(['cat', UNKNOWN, '--bogus']), 2, /^timetric cat: Unknown option '--bogus' \(see timetric cat --help\)\n$/);
    // (create: a read such as cat retries an unreachable server for ~5 s first, the library's resume)
    assertOneLineError(await timetric(['create', '--title', 't', '--caption', 'c'], { env: { TIMETRIC_URL: 'http://127.0.0.1:9' } }), 1, /^timetric create: .*reachable/);
    assertOneLineError(await timetric(['rm', 'AAAAAAAAAAAAAAAAAAAAAA', '-y']), 3, /^timetric rm: .*not found/);
    assertOneLineError(await timetric(['tail', 'AAAAAAAAAAAAAAAAAAAAAA']), 3, /^timetric tail: .*not found/);
    // In-process: the same code paths, the returned exit code and the printed line.
    assertOneLineError(await inProcess(['cat', UNKNOWN, '--format', 'xml']), 2, /--format must be csv or json/);
    assertOneLineError(await inProcess(['cat', UNKNOWN, '--start', 'yesterday']), 2, /^timetric cat: --start: invalid timestamp "yesterday"/);
    assertOneLineError(await inProcess(['cat', UNKNOWN, '--end', String(Date.now())]), 2, /^timetric cat: --end: .*milliseconds/);
    assertOneLineError(await inProcess(['cat']), 2, /missing the series ID/);
    assertOneLineError(await inProcess(['create', '--caption', 'c']), 2, /missing --title/);
    assertOneLineError(await inProcess(['create', '--title', 't']), 2, /missing --caption/);
    assertOneLineError(await inProcess(['push', UNKNOWN, 'a.csv', 'b.csv']), 2, /unexpected argument "b\.csv"/);
    assertOneLineError(await inProcess(['rm']), 2, /missing the series ID/);
    // A malformed id is a usage error, before any request (the server is not asked).
    assertOneLineError(await timetric(['tail', 'nope']), 2, /^timetric tail: malformed series ID "nope": expected 22 characters of A-Z a-z 0-9 - _ \(see timetric tail --help\)\n$/);
    for (const command of ['cat', 'rm', 'push']) {
      assertOneLineError(await inProcess([command, 'nope'], { input: '', env: { TIMETRIC_URL: 'http://127.0.0.1:9' } }), 2, new RegExp(`^timetric ${command}: malformed series ID "nope"`));
    }
    assertOneLineError(await inProcess(['cat', `${'A'.repeat(21)}!`]), 2, /malformed series ID/);
    assertOneLineError(await inProcess(['tail', UNKNOWN, '--interval', 'soon']), 2, /--interval/);
    assertOneLineError(await inProcess(['tail', UNKNOWN, '--mode', 'sometimes']), 2, /--mode must be/);
    assertOneLineError(await inProcess(['cat', UNKNOWN], { env: { TIMETRIC_KEY: '' } }), 2, /an API token is needed/);
    assertOneLineError(await inProcess(['cat', UNKNOWN, '--url', 'localhost']), 2, /not a URL: "localhost"/);
    assertOneLineError(await inProcess(['push', UNKNOWN], { input: '1700000000,1\n', env: { TIMETRIC_URL: 'http://127.0.0.1:9' } }), 1, /^timetric push: .*reachable/);
    assertOneLineError(await inProcess(['cat', 'AAAAAAAAAAAAAAAAAAAAAA']), 3, /not found/);
    assertOneLineError(await inProcess(['push', 'AAAAAAAAAAAAAAAAAAAAAA'], { input: '1700000000,1\n' }), 3, /not found/);
    assertOneLineError(await inProcess(['cat', 'AAAAAAAAAAAAAAAAAAAAAA'], { env: { TIMETRIC_SECRET: 'wrong' } }), 3, /./);
  });
});
