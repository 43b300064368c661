// A PostgreSQL store killed with SIGKILL while it compacts heads (40 series, each a staged upload in
// chunks, about 1,000 head points after them and a few in the gaps between chunks): killed with a
// compaction transaction open, some series done and some not. Reopened, every point reads as before,
// the versions are unchanged and the chunk invariant holds on the tables; compacting the rest gives
// the same points with empty heads. Each series' compaction is one transaction under its row lock,
// so a crash loses no point and leaves no half-moved head.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import type { Point, PointValue } from '../../src/codec/Point.js';
import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import type { Store } from '../../src/server/store/Store.js';
import { createPostgresTestDatabase } from '../helpers/createPostgresTestStore.js';
import { checkPostgresInvariant } from '../store/postgresInvariant.js';

// Cut by count (no aligned times): the spec places head points in the gaps between 256-point chunks.
const CHUNKS = { chunkPoints: 256, chunkAlign: [], headWritePoints: 256, compactHeadAt: 1_000_000_000, compactEveryMs: 0 };
const SERIES = 40;

async function readAll(store: Store, id: string): Promise<Point[]> {
  const out: Point[] = [];
  for await (const c of store.readPoints(id, {})) out.push(...c);
  return out;
}

describe('PostgreSQL compaction killed with SIGKILL', () => {
  let db: Awaited<ReturnType<typeof createPostgresTestDatabase>>;
  let check: pg.Client;
  before(async () => {
    db = await createPostgresTestDatabase();
    check = new pg.Client({ connectionString: db.connectionString });
    await check.connect();
  });
  after(async () => {
    await check.end();
    await db.drop();
  });

  it('loses no point and leaves no half-moved head: reopened, every point, version and the invariant as before; compacting the rest finishes it', async () => {
    const ids: string[] = [];
    const expected = new Map<string, Map<number, PointValue>>();
    const versions = new Map<string, number>();
    const setup = await openPostgresStore(db.connectionString, { chunks: CHUNKS });
    try {
      for (let s = 0; s < SERIES; s++) {
        const id = `crash${String(s).padStart(3, '0')}`.padEnd(22, 'x');
        ids.push(id);
        const model = new Map<number, PointValue>();
        expected.set(id, model);
        await setup.createSeries({ id, ownerId: 1, title: 'crash', caption: '', description: null, tags: [], public: false, extra: {} });
        const upload = await setup.openWriter(id, 'merge');
        const points = Array.from({ length: 3_000 }, (_, i): Point => [i, i % 500 === 0 ? null : Math.round(Math.sin(i + s) * 1e5) / 100]);
        await upload.stage(points);
        await upload.commit();
        // Four short writes after the chunks: into the head.
        for (let w = 0; w < 4; w++) {
          const head = await setup.openWriter(id, 'merge');
          const more = Array.from({ length: 250 }, (_, i): Point => [3_000 + w * 250 + i, i % 7 === 0 ? i % 2 === 0 : (w * 250 + i) / 8]);
          await head.stage(more);
          await head.commit();
          for (const [t, v] of more) model.set(t, v);
        }
        // And points in the gaps between chunks (a chunk ends at 255, the next starts at 256).
        for (let k = 0; k < 3; k++) await setup.appendValue(id, k * 256 + 255.5, -k);
        for (const [t, v] of points) model.set(t, v);
        for (let k = 0; k < 3; k++) model.set(k * 256 + 255.5, -k);
        versions.set(id, (await setup.getSeriesHead(id))!.version);
        assert.ok((await setup.storageStats!(id)).series[0]!.headPoints >= 1_000);
      }
    } finally {
      await setup.close();
    }

    const url = `${db.connectionString}?application_name=compact_child`;
    const proc = spawn(process.execPath, ['--import', 'tsx', 'spec/postgres/pgCompactChild.ts', url, JSON.stringify(CHUNKS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.once('exit', (_code, signal) => resolve(signal)));
    const lines = createInterface({ input: proc.stdout });
    await new Promise<void>((resolve, reject) => {
      lines.once('line', () => resolve());
      void exited.then(() => reject(new Error('the compacting child exited before it began')));
    });
    // Kill it once a few series are done and while one of its compaction transactions is open.
    const deadline = Date.now() + 60_000;
    for (;;) {
      assert.ok(Date.now() < deadline, 'the child never reached the middle of its compaction');
      const state = await check.query<{ done: string; open: string }>(
        `SELECT (SELECT count(*) FROM series WHERE head_points = 0) AS done,
          (SELECT count(*) FROM pg_stat_activity WHERE application_name = 'compact_child' AND xact_start IS NOT NULL) AS open`,
      );
      if (Number(state.rows[0]!.done) >= 5 && Number(state.rows[0]!.open) > 0) break;
    }
    proc.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');

    const heads = await check.query<{ id: string; n: string }>(
      'SELECT s.id, (SELECT count(*) FROM head h WHERE h.series_key = s.key) AS n FROM series s ORDER BY s.id',
    );
    const left = heads.rows.filter((r) => Number(r.n) > 0).length;
    assert.ok(left > 0 && left < SERIES, `killed mid-way: ${SERIES - left} series compacted, ${left} not`);
    // Every head is whole or empty: compaction moves a series' head in one transaction.
    for (const r of heads.rows) assert.ok(Number(r.n) === 0 || Number(r.n) === 1_003, `${r.id}: ${r.n} head points`);

    const store = await openPostgresStore(db.connectionString, { chunks: CHUNKS });
    try {
      for (const id of ids) {
        const want = [...expected.get(id)!].sort((a, b) => a[0] - b[0]);
        assert.deepEqual(await readAll(store, id), want, `${id} after the crash`);
        assert.equal((await store.getSeriesHead(id))!.version, versions.get(id));
        await checkPostgresInvariant(check, id);
      }
      await store.compact!();
      for (const id of ids) {
        const want = [...expected.get(id)!].sort((a, b) => a[0] - b[0]);
        assert.deepEqual(await readAll(store, id), want, `${id} compacted`);
        assert.equal((await store.storageStats!(id)).series[0]!.headPoints, 0);
        assert.equal((await store.getSeriesHead(id))!.version, versions.get(id));
        await checkPostgresInvariant(check, id);
      }
    } finally {
      await store.close();
    }
  });
});
