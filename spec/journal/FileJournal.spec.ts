// The Node file journal: what a reopen lists, a torn last record cut off, segments deleted once
// done, ownership (a second owner in this process or in another live process fails with
// JournalLockedError; a lock left by a SIGKILLed process is taken over) without damage.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { JournalLockedError } from '../../src/journal/JournalLockedError.js';
import { FileJournal } from '../../src/node/FileJournal.js';

const root = mkdtempSync(join(tmpdir(), 'timetric-journal-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const fresh = (): string => join(root, `j${++dirs}`);
const segments = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('seg-')).sort();
const pts = (from: number, n: number) => Array.from({ length: n }, (_, i) => [from + i, i * 0.5] as const);

describe('FileJournal', () => {
  it('lists what is not done after a reopen, in order, and reads it back', async () => {
    const dir = fresh();
    const j = new FileJournal(dir);
    assert.deepEqual(await j.open(), []);
    const a = await j.append({ kind: 'points', points: pts(1, 3) });
    const b = await j.append({ kind: 'increment', key: 'key-1', amount: 2, increments: 2, createdAt: 5 });
    const c = await j.append({ kind: 'points', points: pts(10, 2) });
    await j.ack(a);
    await j.close();
    const again = new FileJournal(dir);
    assert.deepEqual(await again.open(), [{ seq: b, kind: 'increment' }, { seq: c, kind: 'points', points: 2 }], 'a points record says how many points it holds');
    assert.deepEqual(await again.read(c), { kind: 'points', seq: c, points: pts(10, 2) });
    assert.deepEqual(await again.read(b), { kind: 'increment', seq: b, key: 'key-1', amount: 2, increments: 2, createdAt: 5 });
    // New records never reuse a number still in the journal.
    assert.ok((await again.append({ kind: 'points', points: pts(20, 1) })) > c);
    await again.close();
  });

  it('reads a segment cut mid-record up to its last whole record and appends after it', async () => {
    const dir = fresh();
    const j = new FileJournal(dir);
    await j.open();
    await j.append({ kind: 'points', points: pts(1, 100) });
    await j.append({ kind: 'points', points: pts(200, 100) });
    await j.close();
    const [seg] = segments(dir);
    const size = statSync(join(dir, seg!)).size;
    // A crash mid-append: half a frame at the end.
    appendFileSync(join(dir, seg!), Buffer.from([200, 6, 0, 0, 1, 2, 3, 4, 1, 0, 0]));
    const again = new FileJournal(dir);
    const pending = await again.open();
    assert.equal(pending.length, 2);
    assert.equal(statSync(join(dir, seg!)).size, size, 'the torn tail is cut off');
    await again.append({ kind: 'points', points: pts(400, 1) });
    await again.close();
    const third = new FileJournal(dir);
    assert.equal((await third.open()).length, 3);
    await third.close();
  });

  it('deletes segments once they and all older ones are done, and counts its bytes', async () => {
    const dir = fresh();
    const j = new FileJournal(dir, { segmentBytes: 4096 });
    await j.open();
    const seqs: number[] = [];
    for (let i = 0; i < 20; i++) seqs.push(await j.append({ kind: 'points', points: pts(i * 100, 100) })); // ~1.7 kB each
    assert.ok(segments(dir).length >= 8, `segments: ${segments(dir).length}`);
    const onDisk = () => segments(dir).reduce((n, s) => n + statSync(join(dir, s)).size, 0);
    assert.equal(j.bytes, onDisk());
    // Done out of order: the newest first; nothing can go while the oldest waits.
    for (const s of seqs.slice(1)) await j.ack(s);
    assert.ok(segments(dir).length >= 2);
    await j.ack(seqs[0]!);
    assert.equal(segments(dir).length, 1, 'only the segment being written is left');
    assert.equal(j.bytes, onDisk());
    await j.close();
    assert.deepEqual(segments(dir), [], 'an empty journal leaves no segment');
  });

  it('refuses a second owner in the same process', async () => {
    const dir = fresh();
    const j = new FileJournal(dir);
    await j.open();
    await assert.rejects(new FileJournal(dir).open(), (err: unknown) => err instanceof JournalLockedError && err.ownerPid === process.pid);
    await j.close();
    const k = new FileJournal(dir);
    await k.open();
    await k.close();
  });

  it('refuses a journal a live process owns, and takes over the lock of a SIGKILLed one; no damage either way', async () => {
    const dir = fresh();
    const code = `
      import { FileJournal } from ${JSON.stringify(new URL('../../src/node/FileJournal.ts', import.meta.url).href)};
      const j = new FileJournal(${JSON.stringify(dir)});
      await j.open();
      await j.append({ kind: 'points', points: [[1, 1], [2, 2]] });
      console.log('ready');
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.once('exit', (c) => reject(new Error(`child exited ${c}`)));
    });
    await assert.rejects(new FileJournal(dir).open(), (err: unknown) => err instanceof JournalLockedError && err.ownerPid === child.pid && /in use by process/.test(err.message));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const j = new FileJournal(dir);
    const pending = await j.open();
    assert.equal(pending.length, 1);
    assert.deepEqual((await j.read(pending[0]!.seq)).kind, 'points');
    await j.close();
  });

  it('takes over a lock naming a pid that no longer runs', async () => {
    const dir = fresh();
    const j = new FileJournal(dir);
    await j.open();
    await j.close();
    writeFileSync(join(dir, 'lock'), `2147483646 ${(await import('node:os')).hostname()}\n`);
    const k = new FileJournal(dir);
    await k.open();
    await k.close();
  });
});
