// The administration commands of `timetric` against a SQLite file in a temporary directory. What
// only a process shows (exit status, one-line errors on the real stderr, serve's SIGTERM) runs the
// CLI as a user does: a child process, bundled once with esbuild as the build does. The other
// checks run the same command line in-process (runTimetric): a process loads the server code and
// the store's native module again each time (~0.5 s), where the checks are about the commands.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, before, after } from 'node:test';
import { signOAuth } from '../../src/client/signOAuth.js';
import { createAuthenticator } from '../../src/server/auth/createAuthenticator.js';
import { openStore } from '../../src/server/store/openStore.js';
import { assertHelpOptionsAccepted, assertOneLineError, bundleCli, ROOT, runCli, runInProcess, type CliRun } from '../helpers/cliRunner.js';

let MAIN = '';
let removeBundle = (): void => {};

/** The CLI as a child process. */
const timetric = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> =>
  runCli(MAIN, args, { ...options, env: { TIMETRIC_DB: '', ...options.env } });
/** The same command line in this process. */
const inProcess = (args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> =>
  runInProcess(args, { ...options, env: { TIMETRIC_DB: '', ...options.env } });

describe('timetric admin commands', () => {
  let dir = '';
  let db = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'timetric-cli-'));
    db = join(dir, 'admin.db');
    ({ main: MAIN, remove: removeBundle } = await bundleCli('admin'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    removeBundle();
  });

  it('lists its commands with --help (exit 0) and without arguments (exit 2)', async () => {
    const help = await timetric(['--help']);
    assert.equal(help.code, 0);
    for (const name of ['serve', 'user add', 'token create', 'token list', 'token revoke', 'consumer create', 'consumer list', 'oauth list', 'oauth revoke']) assert.match(help.stdout, new RegExp(`\\n  ${name} `));
    const bare = await timetric([]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /^Usage: timetric COMMAND/);
  });

  it('has --help on every command', async () => {
    const all = [['serve'], ['user', 'add'], ['token', 'create'], ['token', 'list'], ['token', 'revoke'], ['consumer', 'create'], ['consumer', 'list'], ['oauth', 'list'], ['oauth', 'revoke']];
    const runs = await Promise.all(all.map((words) => inProcess([...words, '--help'])));
    all.forEach((words, i) => {
      const run = runs[i]!;
      assert.equal(run.code, 0, words.join(' '));
      assert.match(run.stdout, new RegExp(`^Usage: timetric ${words.join(' ')}`));
      assert.match(run.stdout, /--db FILE\|URL/);
      assert.match(run.stdout, /-h, --help/);
    });
    for (const words of all) assert.ok((await assertHelpOptionsAccepted(words, runs[all.indexOf(words)]!.stdout)).includes('--db'), words.join(' '));
  });

  it('refuses unknown commands and options with one line and exit code 2', async () => {
    const [a, b, c, d, e, f] = await Promise.all([
      timetric(['frobnicate']),
      inProcess(['token']),
      inProcess(['token', 'create', '--bogus', '--db', db]),
      inProcess(['user', 'add', '--db', db]),
      inProcess(['user', 'add', 'x', '--db', db]),
      inProcess(['consumer', 'create', '--name', 'A', '--callback', 'ftp://x', '--db', db]),
    ]);
    assertOneLineError(a, 2, /unknown command "frobnicate"/);
    assertOneLineError(b, 2, /takes one of: create, list, revoke/);
    assertOneLineError(c, 2, /Unknown option '--bogus'/);
    assertOneLineError(d, 2, /missing the user NAME/);
    assertOneLineError(e, 2, /missing --password/);
    assertOneLineError(f, 2, /--callback must be an http\(s\) URL/);
  });

  it('adds users; a duplicate name fails with exit code 1', async () => {
    const run = await inProcess(['user', 'add', 'ada', '--password', 'pw one', '--db', db]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^created user ada \(id \d+\)\n$/);
    assertOneLineError(await timetric(['user', 'add', 'ada', '--password', 'x', '--db', db]), 1, /user "ada" already exists/);
    const fromStdin = await inProcess(['user', 'add', 'bob', '--password-stdin', '--db', db], { input: 'from stdin\n' });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
  });

  it('creates API tokens that authenticate, and prints exactly {key, secret} with --json', async () => {
    const run = await inProcess(['token', 'create', '--user', 'ada', '--name', 'laptop', '--json', '--db', db]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\{.*\}\n$/, 'one JSON line');
    const token = JSON.parse(run.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(token), ['key', 'secret']);
    const human = await inProcess(['token', 'create', '--user', 'ada', '--db', db]);
    assert.match(human.stdout, /^token "default" for ada\nkey: +\S+\nsecret: +\S+\n/);

    const store = await openStore(db);
    try {
      const auth = createAuthenticator(store);
      const headers = { authorization: `Basic ${Buffer.from(`${token.key}:${token.secret}`).toString('base64')}` };
      assert.deepEqual(await auth.authenticate({ method: 'GET', url: 'http://x/', headers }), { userId: 1, userName: 'ada', via: 'apitoken' });
    } finally {
      await store.close();
    }
    assertOneLineError(await inProcess(['token', 'create', '--user', 'nobody', '--db', db]), 1, /no user named "nobody"/);
    assertOneLineError(await inProcess(['token', 'create', '--db', db]), 2, /missing --user/);
  });

  it('lists tokens (never secrets), filters by user, revokes one', async () => {
    await inProcess(['token', 'create', '--user', 'bob', '--name', 'sensor-3', '--db', db]);
    const all = JSON.parse((await inProcess(['token', 'list', '--json', '--db', db])).stdout) as Record<string, unknown>[];
    assert.deepEqual(all.map((t) => [t.user, t.name, t.revokedAt]), [['ada', 'laptop', null], ['ada', 'default', null], ['bob', 'sensor-3', null]]);
    assert.deepEqual(Object.keys(all[0]!), ['key', 'user', 'name', 'createdAt', 'revokedAt']);
    assert.match(String(all[0]!.createdAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const bobs = JSON.parse((await inProcess(['token', 'list', '--user', 'bob', '--json', '--db', db])).stdout) as { key: string }[];
    assert.equal(bobs.length, 1);
    const revoke = await inProcess(['token', 'revoke', bobs[0]!.key, '--db', db]);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.equal(revoke.stdout, `revoked token ${bobs[0]!.key}\n`);
    assertOneLineError(await inProcess(['token', 'revoke', bobs[0]!.key, '--db', db]), 1, /already revoked/);
    assertOneLineError(await inProcess(['token', 'revoke', 'no-such-key', '--db', db]), 1, /no API token with key no-such-key/);

    const table = await inProcess(['token', 'list', '--db', db]);
    assert.match(table.stdout, /^KEY +USER +NAME +CREATED +STATUS\n/);
    assert.match(table.stdout, /sensor-3 +\S+ +revoked \d{4}-/);
    assert.doesNotMatch(table.stdout + JSON.stringify(all), /secret/i);
    assertOneLineError(await inProcess(['token', 'list', '--user', 'nobody', '--db', db]), 1, /no user named "nobody"/);
  });

  it('creates OAuth consumers; --json prints exactly {key, secret}', async () => {
    const run = await inProcess(['consumer', 'create', '--name', 'Printer', '--callback', 'https://printer.example/ready', '--json', '--db', db]);
    assert.equal(run.code, 0, run.stderr);
    const consumer = JSON.parse(run.stdout) as Record<string, string>;
    assert.deepEqual(Object.keys(consumer), ['key', 'secret']);
    const store = await openStore(db);
    try {
      const stored = await store.getConsumer(consumer.key!);
      assert.equal(stored?.secret, consumer.secret);
      assert.equal(stored?.callback, 'https://printer.example/ready');
    } finally {
      await store.close();
    }
    assertOneLineError(await inProcess(['consumer', 'create', '--db', db]), 2, /missing --name/);
    const listed = JSON.parse((await inProcess(['consumer', 'list', '--json', '--db', db])).stdout) as Record<string, unknown>[];
    assert.deepEqual(listed.map((c) => [c.key, c.name, c.callback]), [[consumer.key, 'Printer', 'https://printer.example/ready']]);
    assert.doesNotMatch(JSON.stringify(listed), new RegExp(consumer.secret!));
  });

  it('lists OAuth access tokens (never secrets) and revokes one: requests signed with it are refused at once', async () => {
    const consumer = JSON.parse((await inProcess(['consumer', 'create', '--name', 'Grapher', '--json', '--db', db])).stdout) as { key: string; secret: string };
    assert.equal((await inProcess(['oauth', 'list', '--db', db])).stdout, 'no OAuth access tokens\n');
    const store = await openStore(db);
    try {
      const ada = (await store.getUserByName('ada'))!;
      const grant = { secret: 'granted-secret', consumerKey: consumer.key, kind: 'access' as const, userId: ada.id, callback: null, verifier: null, expiresAt: null };
      await store.saveOAuthToken({ token: 'ada-grapher', ...grant });
      await store.saveOAuthToken({ token: 'ada-grapher-2', ...grant });
      await store.saveOAuthToken({ token: 'pending', ...grant, kind: 'request', userId: null, expiresAt: Date.now() / 1000 + 600 });
      const listed = JSON.parse((await inProcess(['oauth', 'list', '--user', 'ada', '--json', '--db', db])).stdout) as Record<string, string>[];
      assert.deepEqual(listed.map((t) => [t.token, t.user, t.consumer]), [['ada-grapher', 'ada', consumer.key], ['ada-grapher-2', 'ada', consumer.key]]);
      assert.doesNotMatch(JSON.stringify(listed), /granted-secret/);
      assert.match((await inProcess(['oauth', 'list', '--db', db])).stdout, /^TOKEN +USER +CONSUMER +CREATED\nada-grapher +ada +/);

      const auth = createAuthenticator(store);
      const signed = async () => {
        const url = 'http://x/series/AAAAAAAAAAAAAAAAAAAAAA/csv/';
        const credentials = { consumerKey: consumer.key, consumerSecret: consumer.secret, token: 'ada-grapher', tokenSecret: 'granted-secret' };
        return auth.authenticate({ method: 'GET', url, headers: { authorization: await signOAuth('GET', url, undefined, credentials) } });
      };
      assert.deepEqual(await signed(), { userId: ada.id, userName: 'ada', via: 'oauth' });
      const revoke = await inProcess(['oauth', 'revoke', 'ada-grapher', '--db', db]);
      assert.deepEqual(revoke, { code: 0, stdout: `revoked OAuth access token ada-grapher (consumer ${consumer.key})\n`, stderr: '' });
      await assert.rejects(signed(), /token/i);
      assert.deepEqual((await store.listOAuthAccessTokens(ada.id)).map((t) => t.token), ['ada-grapher-2'], 'the other grant keeps working');
    } finally {
      await store.close();
    }
    assertOneLineError(await inProcess(['oauth', 'revoke', 'ada-grapher', '--db', db]), 1, /no OAuth access token ada-grapher/);
    assertOneLineError(await inProcess(['oauth', 'revoke', 'pending', '--db', db]), 1, /no OAuth access token pending/);
    assertOneLineError(await inProcess(['oauth', 'revoke', '--db', db]), 2, /missing the access TOKEN/);
    assertOneLineError(await inProcess(['oauth', 'list', '--user', 'nobody', '--db', db]), 1, /no user named "nobody"/);
  });

  it('serves: prints "listening on <URL>", authenticates the CLI\'s tokens, closes cleanly on SIGTERM', async () => {
    const token = JSON.parse((await inProcess(['token', 'create', '--user', 'ada', '--json', '--db', db])).stdout) as { key: string; secret: string };
    const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--db', db], { cwd: ROOT, env: { ...process.env, TIMETRIC_DB: '' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      const basic = `Basic ${Buffer.from(`${token.key}:${token.secret}`).toString('base64')}`;
      const created = await fetch(`${url}/create/`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'title=t&caption=c',
        redirect: 'manual',
      });
      assert.equal(created.status, 303, await created.text());
      const wrong = await fetch(`${url}/create/`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${token.key}:x`).toString('base64')}` } });
      assert.equal(wrong.status, 401);
      assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm=/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    } finally {
      child.kill('SIGKILL');
    }
    assertOneLineError(await inProcess(['serve', '--port', 'http', '--db', db]), 2, /--port must be a whole number/);
  });

  it('takes the database from TIMETRIC_DB when --db is absent', async () => {
    const other = join(dir, 'env.db');
    const run = await inProcess(['user', 'add', 'eve', '--password', 'pw'], { env: { TIMETRIC_DB: other } });
    assert.equal(run.code, 0, run.stderr);
    const list = await inProcess(['token', 'create', '--user', 'eve', '--json'], { env: { TIMETRIC_DB: other } });
    assert.equal(list.code, 0, list.stderr);
    assertOneLineError(await inProcess(['token', 'create', '--user', 'eve', '--db', db]), 1, /no user named "eve"/);
  });
});
