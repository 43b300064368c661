// `npm start`'s demo as a user runs it: it prints the dashboard URL, the token and how to stop, and
// nothing else; its simulated sensors write into the series; Ctrl-C (SIGINT) stops it cleanly with
// exit code 0. One demo per data folder: a second start is refused naming the first, a lock left by
// a killed demo is taken over, and once it stopped the examples say in one line that it is not
// running.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { lastValueFrom } from 'rxjs';
import { TimetricClient } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'timetric-demo-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const env = { ...process.env, PORT: '0', TIMETRIC_PORT: '', TIMETRIC_DEMO_DIR: dir, TIMETRIC_URL: '', TIMETRIC_KEY: '', TIMETRIC_SECRET: '' };

/** Starts the demo; resolves once it printed "Ctrl-C…", with what it printed. */
async function startDemo(): Promise<{ child: ChildProcess; lines: string[]; stderr: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/demo/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Ctrl-C')) resolve();
    });
    void exited.then((code) => reject(new Error(`demo exited early (${code}): ${lines.join('\n')}\n${stderr}`)));
  });
  return { child, lines, stderr: () => stderr, exited };
}

describe('the demo', () => {
  it('prints only the dashboard URL, the token and how to stop; writes readings; stops cleanly on SIGINT; one demo per folder', async () => {
    // A lock left by a demo that was killed: its process is gone, so the lock is stale.
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'demo.lock'), JSON.stringify({ pid: Number(gone.stdout.trim()), url: 'http://127.0.0.1:1', startedAt: '2026-01-01T00:00:00Z' }));

    const demo = await startDemo();
    try {
      assert.equal(demo.lines.length, 3, demo.lines.join('\n'));
      assert.match(demo.lines[0]!, /^Dashboard: http:\/\/127\.0\.0\.1:\d+\/dashboard\/\S*$/);
      assert.match(demo.lines[1]!, /^API token: key demo-\S+ secret \S+ \(saved in .*demo\.json\)$/);
      assert.equal(demo.lines[2], 'Ctrl-C stops it.');
      const info = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as { url: string; key: string; secret: string; series: string[] };
      assert.equal(info.series.length, 3);
      const lock = JSON.parse(readFileSync(join(dir, 'demo.lock'), 'utf8')) as { pid: number; url: string };
      assert.deepEqual([lock.pid, lock.url], [demo.child.pid, info.url]);

      // A second start on the same folder is refused in one line naming the running demo.
      const second = spawnSync(process.execPath, ['--import', 'tsx', 'examples/demo/main.ts'], { env, encoding: 'utf8' });
      assert.equal(second.status, 1);
      assert.equal(second.stdout, '');
      assert.match(second.stderr, new RegExp(`^npm start: a demo is already running on .*\\(pid ${demo.child.pid}, ${info.url.replace(/\./g, '\\.')}, since \\S+\\): stop it first[^\\n]*\\n$`));

      const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: info.key, apitoken_secret: info.secret }, { baseUrl: info.url });
      // The sensors write once a second; wait for the first reading to land (bounded by the test timeout).
      let latest = null;
      while ((latest = await lastValueFrom(client.series(info.series[0]!).latest())) === null) await new Promise((r) => setTimeout(r, 50));
      assert.equal(typeof latest[1], 'number');
    } finally {
      demo.child.kill('SIGINT');
    }
    assert.equal(await demo.exited, 0, demo.stderr());
    assert.equal(demo.stderr(), '');
    assert.equal(demo.lines.length, 4);
    assert.match(demo.lines.at(-1)!, /^stopped after \d+ readings per series$/);
    assert.ok(!existsSync(join(dir, 'demo.lock')), 'the lock is removed');

    // demo.json is still there, but the demo is not running: an example says so in one line.
    const example = spawnSync(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], { env, encoding: 'utf8' });
    assert.equal(example.status, 1);
    assert.equal(example.stdout, '');
    assert.match(example.stderr, /^quickstart\.ts: the demo is not running: start it with `npm start`[^\n]*\n$/);
  });

  it('an example whose server cannot be reached says so in one line', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], {
      env: { ...env, TIMETRIC_URL: 'http://127.0.0.1:9', TIMETRIC_KEY: 'k', TIMETRIC_SECRET: 's' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^quickstart\.ts: cannot reach the Timetric server at http:\/\/127\.0\.0\.1:9 [^\n]*is it running\?[^\n]*\n$/);
  });
});
