// `timetric bridge` arguments: what is missing or malformed is a usage error (exit 2) naming it,
// every option of --help is accepted, and the command is listed; a bridge whose broker is away
// keeps running and retrying.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertHelpOptionsAccepted, assertOneLineError, bundleCli, ROOT, runInProcess } from '../helpers/cliRunner.js';

const token = { TIMETRIC_KEY: 'k', TIMETRIC_SECRET: 's', TIMETRIC_MQTT_URL: '', TIMETRIC_MQTT_TOPIC: '' };

describe('timetric bridge arguments', () => {
  it('is listed, and accepts every option its help shows', async () => {
    assert.match((await runInProcess(['--help'])).stdout, /^ {2}bridge +write MQTT messages/m);
    const help = await runInProcess(['bridge', '--help']);
    assert.equal(help.code, 0);
    const flags = await assertHelpOptionsAccepted(['bridge'], help.stdout);
    for (const f of ['--mqtt', '--topic', '--client-id', '--map', '--verbose', '--url', '--key', '--secret']) assert.ok(flags.includes(f), f);
  });

  it('refuses what is missing or malformed with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['bridge', '--topic', 'a/#'], /no broker: --mqtt/],
      [['bridge', '--mqtt', 'http://x:1', '--topic', 'a'], /not an mqtt:\/\//],
      [['bridge', '--mqtt', 'mqtt://127.0.0.1:1'], /no topic/],
      [['bridge', '--mqtt', 'mqtt://127.0.0.1:1', '--topic', 'a', '--window-ms', 'soon'], /--window-ms must be a whole number/],
      [['bridge', '--mqtt', 'mqtt://127.0.0.1:1', '--topic', 'a', '--map', join(tmpdir(), 'no-such-timetric-map')], /--map: cannot read/],
      [['bridge', '--mqtt', 'mqtt://127.0.0.1:1', '--topic', 'a', '--nope'], /Unknown option '--nope'/],
    ];
    for (const [args, message] of cases) assertOneLineError(await runInProcess(args, { env: token }), 2, message);
    const map = join(tmpdir(), `timetric-bad-map-${process.pid}.txt`);
    writeFileSync(map, 'ok/# = -\nbroken line\n');
    assertOneLineError(await runInProcess(['bridge', '--mqtt', 'mqtt://127.0.0.1:1', '--topic', 'a', '--map', map], { env: token }), 2, /timetric-bad-map-\d+\.txt:2: "broken line": expected/);
    assertOneLineError(await runInProcess(['bridge', '--mqtt', 'mqtt://127.0.0.1:1', '--topic', 'a'], { env: { ...token, TIMETRIC_KEY: '' } }), 2, /an API token is needed/);
  });

  it('keeps running while the broker is away, retrying with backoff (it used to exit 0 after the first refusal)', { timeout: 60_000 }, async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const cli = await bundleCli('bridge-away');
    try {
      const child = spawn(process.execPath, [cli.main, 'bridge', '--mqtt', `mqtt://127.0.0.1:${port}`, '--topic', 'a/#', '--url', 'http://127.0.0.1:1'], {
        cwd: ROOT,
        env: { ...process.env, TIMETRIC_KEY: 'k', TIMETRIC_SECRET: 's', TIMETRIC_DEBUG: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      // The second reconnect is scheduled 0.5-1 s plus 1-2 s after the first refusal.
      const second = new Promise<void>((resolve) =>
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('(attempt 2)')) resolve();
        }),
      );
      const first = await Promise.race([second.then(() => 'retrying'), exited.then((code) => `exited ${code}`)]);
      assert.equal(first, 'retrying', stderr);
      assert.match(stderr, /ECONNREFUSED/);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    } finally {
      cli.remove();
    }
  });
});
