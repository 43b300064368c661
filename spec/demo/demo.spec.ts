// `npm start`'s demo as a user runs it: it prints the server URL and token, its simulated sensors
// write into the series, and Ctrl-C (SIGINT) stops it cleanly with exit code 0.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { lastValueFrom } from 'rxjs';
import { TimetricClient } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'timetric-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo', () => {
  it('serves, writes simulated readings, and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/main.ts'], {
      env: { ...process.env, PORT: '0', TIMETRIC_DEMO_DIR: dir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (line.startsWith('Ctrl-C')) resolve();
      });
      void exited.then((code) => reject(new Error(`demo exited early (${code}): ${lines.join('\n')}`)));
    });
    assert.match(lines[0]!, /^Timetric demo server listening on http:\/\/127\.0\.0\.1:\d+$/);
    const demo = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as { url: string; key: string; secret: string; series: string[] };
    assert.equal(demo.series.length, 3);
    const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: demo.key, apitoken_secret: demo.secret }, { baseUrl: demo.url });
    // The sensors write once a second; wait for the first reading to land (bounded by the test timeout).
    let latest = null;
    while ((latest = await lastValueFrom(client.series(demo.series[0]!).latest())) === null) await new Promise((r) => setTimeout(r, 50));
    assert.equal(typeof latest[1], 'number');
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    assert.match(lines.at(-1)!, /^stopped after \d+ readings per series$/);
  });
});
