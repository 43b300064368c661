// Crash safety on a SQLite file (§7): an acknowledged write survives the server being killed; an
// upload in progress when the server dies applies nothing, even after it spilled to a temporary table.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CSV, createSeries, readCsv } from '../helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'timetric-crash-'));
const file = join(dir, 'crash.db');
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function start(memoryLimit = 1000): Promise<{ url: string; basic: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'spec/helpers/serveFile.ts', file, String(memoryLimit)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { ...(JSON.parse(line) as { url: string; basic: string }), child };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('crash safety', () => {
  it('keeps acknowledged writes and drops the upload that was in flight when the server died', async () => {
    const first = await start();
    const id = await createSeries(first.url, first.basic);
    const r = await fetch(`${first.url}/series/${id}/`, { method: 'POST', headers: { ...CSV, authorization: first.basic }, body: '1,1\n2,2\n' });
    assert.equal(r.status, 204);

    // An upload larger than the memory limit (it spills to a temporary table), never finished.
    const { hostname, port } = new URL(first.url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    let partial = '';
    for (let i = 100; i < 5100; i++) partial += `${i},${i}\n`;
    socket.write(
      `PUT /series/${id}/ HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: ${first.basic}\r\nContent-Type: text/csv\r\nContent-Length: 10000000\r\n\r\n${partial}`,
    );
    socket.on('error', () => {});
    // A round trip on another connection lets the server take in the bytes sent before it.
    await fetch(`${first.url}/`);
    await kill(first.child);
    socket.destroy();

    const second = await start();
    assert.equal(await readCsv(second.url, id, second.basic), '1,1\n2,2\n');
    await kill(second.child);
    const db = new Database(file, { readonly: true });
    try {
      // Staged points lived in a TEMP table of the dead process's connection: nothing of them is in the file.
      assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name LIKE '%stag%'").get() as { n: number }).n, 0);
    } finally {
      db.close();
    }
  });
});
