// Each example runs as a user runs it (`npx tsx examples/NAME.ts`, 'timetric' resolved to the build
// in dist/ through the package's own exports) against our server on port 0, and its output is checked.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { lastValueFrom, toArray } from 'rxjs';
import { TimetricClient } from '../../src/index.js';
import { startServer, type TestServer } from '../helpers/startServer.js';

const ROOT = join(import.meta.dirname, '..', '..');
let server: TestServer;
let env: Record<string, string>;
let client: TimetricClient;
let owner: { name: string; password: string };

function example(name: string, args: string[] = [], input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', join('examples', name), ...args], { cwd: ROOT, env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(input);
  });
}

before(async () => {
  server = await startServer();
  const user = await server.user();
  owner = user;
  await server.store.createConsumer({ key: 'spec-consumer', secret: 'spec-consumer-secret', name: 'spec', callback: null });
  env = { TIMETRIC_CONSUMER_KEY: 'spec-consumer', TIMETRIC_CONSUMER_SECRET: 'spec-consumer-secret', TIMETRIC_URL: server.url, TIMETRIC_KEY: user.key, TIMETRIC_SECRET: user.secret };
  client = new TimetricClient({ authtype: 'apitoken', apitoken_key: user.key, apitoken_secret: user.secret }, { baseUrl: server.url });
});
after(() => server.close());

describe('examples', () => {
  it('quickstart: creates, writes a value, pairs and a CSV file, reads, iterates, deletes', async () => {
    const run = await example('quickstart.ts');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^created series [A-Za-z0-9_-]{22}\n/);
    assert.match(run.stdout, /latest: \[\d+(\.\d+)?,1\.5\]/);
    assert.match(run.stdout, /2023-11-14T22:13:20\.000Z {2}10\n[^]*2023-11-14T22:17:00\.000Z {2}14\n/);
    assert.match(run.stdout, /iterated 5 points\ndeleted\n$/);
  });

  it('sensor-pipe: stdin lines written through writeTo, with receipts', async () => {
    const series = await client.createSeries({ title: 'pipe', caption: 'x' });
    const run = await example('sensor-pipe.ts', [series.id], '1700000000,1\n1700000001,2.5\n\n1700000002,3\n');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /receipt: 3 points 1700000000\.\.1700000002/);
    assert.match(run.stdout, /done: 3 points written\n$/);
    assert.deepEqual(await lastValueFrom(series.values$.pipe(toArray())), [[1700000000, 1], [1700000001, 2.5], [1700000002, 3]]);
  });

  it('moving-average: combineLatest of two series, averages written to a third, stops after N', async () => {
    const a = await client.createSeries({ title: 'a', caption: 'x' }, [[1700000000, 10]]);
    const b = await client.createSeries({ title: 'b', caption: 'x' }, [[1700000000, 20]]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/moving-average.ts', `--a=${a.id}`, `--b=${b.id}`, '--points', '2', '--window', '2', '--interval', '100'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const outId = /into ([A-Za-z0-9_-]{22})$/.exec((await lines.next()).value as string)?.[1];
    assert.ok(outId);
    assert.equal((await lines.next()).value, 'average at 1700000000: 15.000');
    await lastValueFrom(a.update([[1700000010, 30]])); // mean 25, window of 2: (15 + 25) / 2
    assert.equal((await lines.next()).value, 'average at 1700000010: 20.000');
    assert.equal((await lines.next()).value, `done: 2 averages written to ${outId}`);
    assert.equal(await exited, 0);
    assert.deepEqual(await lastValueFrom(client.series(outId).values$.pipe(toArray())), [[1700000000, 15], [1700000010, 20]]);
  });

  it('oauth: request token, authorize form driven with --user/--password, access token, a signed call', async () => {
    const run = await example('oauth.ts', ['--user', owner.name, '--password', owner.password]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^1\. request token \S+\n2\. authorize at: http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\/\?oauth_token=\S+\n3\. verifier \S+\n4\. access token \S+/);
    assert.match(run.stdout, /5\. signed call: created series [A-Za-z0-9_-]{22}, latest \[1700000000,1\]\n6\. deleted it\n$/);
    const refused = await example('oauth.ts', ['--user', owner.name, '--password', 'wrong']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /authorization refused/);
  });
});
