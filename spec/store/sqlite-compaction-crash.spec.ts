// A SQLite store killed with SIGKILL while it compacts large heads (40 series with 25,000 head
// points each, some between chunks): reopened, every point reads as before, the chunk invariant
// holds, and compacting the rest gives the same points again. A compaction is one transaction.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Point, PointValue } from '../../src/codec/Point.js';
import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { checkSqliteInvariant } from './sqliteInvariant.js';

const SERIES = 40;
const BULK = 10_000;
const HEAD_WRITES = 100;
const PER_WRITE = 250;

const dir = mkdtempSync(join(tmpdir(), 'timetric-compaction-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const value = (s: number, t: number): PointValue => (Math.round(t * 2) % 997 === 0 ? null : Math.round(((t * 31 + s) % 1000) * 100) / 100);
/** The points of series `s`: a bulk upload (chunks), then short writes after it and in the gaps between its chunks (head). */
function expected(s: number): Point[] {
  const times: number[] = [];
  for (let t = 0; t < BULK + HEAD_WRITES * PER_WRITE; t++) times.push(t);
  for (let g = 4095.5; g < BULK; g += 4096) times.push(g);
  return times.sort((a, b) => a - b).map((t): Point => [t, value(s, t)]);
}

async function readAll(store: Store, id: string): Promise<Point[]> {
  const out: Point[] = [];
  for await (const c of store.readPoints(id, {}, 50_000)) out.push(...c);
  return out;
}

describe('SQLite compaction crash', () => {
  it('SIGKILL while compacting large heads: reopened, every point is there, the invariant holds', async () => {
    const file = join(dir, 'heads.db');
    const ids: string[] = [];
    // compactHeadAt out of reach: the heads stay until the child compacts them.
    // Chunks cut by count (no aligned times), so the points at 4095.5, … fall between chunks, into the head.
    const build = await openSqliteStore(file, { synchronous: 'NORMAL', chunks: { chunkAlign: [], compactHeadAt: 1e9, compactEveryMs: 0 } });
    for (let s = 0; s < SERIES; s++) {
      const id = `crash${String(s).padStart(3, '0')}`.padEnd(22, 'x');
      ids.push(id);
      await build.createSeries({ id, ownerId: 1, title: 't', caption: '', description: null, tags: [], public: false, extra: {} });
      const bulk = await build.openWriter(id, 'merge');
      await bulk.stage(Array.from({ length: BULK }, (_, t): Point => [t, value(s, t)]));
      await bulk.commit();
      for (let g = 4095.5; g < BULK; g += 4096) await build.appendValue(id, g, value(s, g));
      for (let w = 0; w < HEAD_WRITES; w++) {
        const writer = await build.openWriter(id, 'merge');
        await writer.stage(Array.from({ length: PER_WRITE }, (_, i): Point => [BULK + w * PER_WRITE + i, value(s, BULK + w * PER_WRITE + i)]));
        await writer.commit();
      }
    }
    const built = await build.storageStats!();
    assert.ok(built.series.every((x) => x.headPoints === HEAD_WRITES * PER_WRITE + 2), 'every series has a large head');
    await build.close();

    const proc = spawn(process.execPath, ['--import', 'tsx', 'spec/store/sqliteCompactChild.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
    let started = 0;
    for await (const line of createInterface({ input: proc.stdout })) {
      const msg = JSON.parse(line) as { compacting?: string; done?: boolean };
      assert.ok(!msg.done, 'the child finished before it was killed');
      // Killed right after it announced a series: inside that series' compaction transaction.
      if (++started === 8) {
        proc.kill('SIGKILL');
        break;
      }
    }
    assert.equal(await exited, 'SIGKILL');
    const mid = new Database(file, { readonly: true });
    const withHead = mid.prepare<[], number>('SELECT count(DISTINCT series_key) FROM head').pluck().get()!;
    mid.close();
    assert.ok(withHead > 0 && withHead < SERIES, `killed mid-way: ${withHead} of ${SERIES} series still have a head`);

    const store = await openSqliteStore(file, { chunks: { compactEveryMs: 0 } });
    const check = new Database(file, { readonly: true });
    try {
      for (const [s, id] of ids.entries()) {
        checkSqliteInvariant(check, id);
        assert.deepEqual(await readAll(store, id), expected(s), `series ${s} after the crash`);
      }
      await store.compact!();
      for (const [s, id] of ids.entries()) {
        checkSqliteInvariant(check, id);
        assert.deepEqual(await readAll(store, id), expected(s), `series ${s} once compacted`);
      }
      const stats = await store.storageStats!();
      assert.ok(stats.series.every((x) => x.headPoints === 0 && x.points === BULK + HEAD_WRITES * PER_WRITE + 2));
    } finally {
      check.close();
      await store.close();
    }
  });
});
