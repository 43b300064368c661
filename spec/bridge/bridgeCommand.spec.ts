// `timetric bridge` arguments: what is missing or malformed is a usage error (exit 2) naming it,
// every option of --help is accepted, and the command is listed.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { assertHelpOptionsAccepted, assertOneLineError, runInProcess } from '../helpers/cliRunner.js';

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
});
