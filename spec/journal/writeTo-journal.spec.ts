// writeTo / writeFrom with a journal, against the real server: completion means written and the
// journal is left empty; points accepted while the server is unreachable survive the sink being
// torn down and are sent by the next sink on the journal; a synchronous source of 300,000 points
// goes through a journal (no "buffer full"), and without one fails with an error saying what to
// do; writeFrom pulls a CSV stream only while there is room, whatever the size of its chunks.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { EMPTY, Subject, from, lastValueFrom, tap, toArray } from 'rxjs';
import { TimetricClient, WriteFailedError, writeTo } from '../../src/index.js';
import { FileJournal } from '../../src/node/FileJournal.js';
import { writeFrom } from '../../src/streams/writeFrom.js';
import { startServer, type TestServer, type TestUser } from '../helpers/startServer.js';

let t: TestServer;
let ann: TestUser;
const root = mkdtempSync(join(tmpdir(), 'timetric-writeto-journal-'));
let dirs = 0;
const fresh = (): string => join(root, `j${++dirs}`);
before(async () => {
  t = await startServer();
  ann = await t.user('journal-ann');
});
after(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});
const client = (baseUrl = t.url) => new TimetricClient({ authtype: 'apitoken', apitoken_key: ann.key, apitoken_secret: ann.secret }, { baseUrl, timeoutMs: 5_000 });
const pairs = (n: number, from = 1_700_000_000) => Array.from({ length: n }, (_, i) => [from + i * 0.1, i % 11 === 0 ? null : i] as const);

describe('writeTo with a journal', () => {
  it('writes everything, completes once acknowledged, and leaves the journal empty', async () => {
    const s = await client().createSeries({ title: 'j1', caption: 'c' });
    const dir = fresh();
    const journaled: number[] = [];
    const receipts = await lastValueFrom(
      from(pairs(20_000)).pipe(writeTo(s, { journal: new FileJournal(dir), maxBatchPoints: 3_000, onJournaled: (b) => journaled.push(b.points) }), toArray()),
    );
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), 20_000);
    assert.equal(journaled.reduce((n, p) => n + p, 0), 20_000);
    assert.ok(receipts.every((r) => r.replaced === 0), 'the server says nothing was replaced');
    assert.deepEqual(await lastValueFrom(s.values({ pageSize: 50_000 }).pipe(toArray())), pairs(20_000));
    assert.deepEqual(readdirSync(dir), []);
  });

  it('receipts say how many points replaced a stored point (X-Timetric-Replaced), on the head and the chunk paths', async () => {
    const s = await client().createSeries({ title: 'jr', caption: 'c' });
    await lastValueFrom(from(pairs(12_000)).pipe(writeTo(s)));
    // Whole-second stamps at 10 readings a second: 10 points a second, 9 of them replaced.
    const coarse = Array.from({ length: 30 }, (_, i) => [1_800_000_000 + Math.floor(i / 10), i] as const);
    const few = await lastValueFrom(from(coarse).pipe(writeTo(s, { maxBatchPoints: 10 }), toArray()));
    assert.deepEqual(few.map((r) => r.replaced), [9, 9, 9], 'short writes (the head path): points of one write at one time count too');
    const overwrite = await lastValueFrom(from(coarse.slice(0, 10)).pipe(writeTo(s, { maxBatchPoints: 10 })));
    assert.equal(overwrite.replaced, 10, 'nine within the write, one stored before');
    const again = await lastValueFrom(from(pairs(12_000).slice(2_000, 8_000)).pipe(writeTo(s, { maxBatchPoints: 6_000 }), toArray()));
    assert.deepEqual(again.map((r) => r.replaced), [6_000], 'a write merged into chunks');
  });

  it('keeps what it accepted while the server is unreachable; the next sink on the journal sends it first', async () => {
    const s = await client().createSeries({ title: 'j2', caption: 'c' });
    const dir = fresh();
    // A port nothing listens on: every attempt is refused, and retried for ever.
    const down = client('http://127.0.0.1:9').series(s.id);
    const input = new Subject<readonly [number, number | null]>();
    let accepted = 0;
    let fourBatches!: () => void;
    const journaled = new Promise<void>((resolve) => (fourBatches = resolve));
    const sub = input
      .pipe(writeTo(down, { journal: new FileJournal(dir), maxBatchPoints: 1_000, retryBaseMs: 5, maxBackoffMs: 20, onJournaled: (b) => (accepted += b.points) === 4_000 && fourBatches() }))
      .subscribe();
    // The sink loads the journal code and opens the journal after subscribe; what the Subject
    // emits meanwhile is held and journaled once the journal is open, before anything is sent.
    for (const p of pairs(4_500)) input.next(p);
    await journaled;
    assert.equal(accepted, 4_000, 'four full batches are in the journal');
    sub.unsubscribe(); // the open batch (500) goes into the journal too
    assert.throws(() => readdirSync(join(dir, 'lock')), 'the lock is released');
    const receipts = await lastValueFrom(EMPTY.pipe(writeTo(s, { journal: new FileJournal(dir) }), toArray()));
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), 4_500);
    assert.deepEqual(await lastValueFrom(s.values().pipe(toArray())), pairs(4_500));
  });

  it('holds a synchronous source within maxBufferPoints until the journal code is there: past it, an error that says what to do', async () => {
    const s = await client().createSeries({ title: 'j3', caption: 'c' });
    const receipts = await lastValueFrom(from(pairs(300_000)).pipe(writeTo(s, { journal: new FileJournal(fresh()), maxBufferPoints: 300_000 }), toArray()));
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), 300_000);
    await assert.rejects(lastValueFrom(from(pairs(300_000)).pipe(writeTo(s, { journal: new FileJournal(fresh()), maxBufferPoints: 50_000 }))), (err: unknown) => {
      assert.ok(err instanceof WriteFailedError);
      assert.match(err.message, /buffer full \(50000 points arrived before the journal code loaded\)/);
      assert.match(err.message, /writeFrom\(series, source\)/);
      assert.equal(err.points.length, 50_001, 'the error carries what was held');
      return true;
    });
    const dropping = await lastValueFrom(from(pairs(60_000)).pipe(writeTo(s, { journal: new FileJournal(fresh()), maxBufferPoints: 50_000, overflow: 'drop-oldest' }), toArray()));
    assert.equal(dropping.reduce((n, r) => n + r.points, 0), 50_000);
    assert.equal(dropping.at(-1)!.dropped, 10_000, 'drops while held are in the receipts');
  });

  it('without a journal, a synchronous source that overflows is told to pull, use update() or raise maxBufferPoints', async () => {
    const s = await client().createSeries({ title: 'j4', caption: 'c' });
    await assert.rejects(lastValueFrom(from(pairs(2_000)).pipe(writeTo(s, { maxBufferPoints: 1_000 }))), (err: unknown) => {
      assert.ok(err instanceof WriteFailedError);
      assert.match(err.message, /synchronous source/);
      assert.match(err.message, /writeFrom\(series, source\)/);
      assert.match(err.message, /update\(points\)/);
      assert.match(err.message, /maxBufferPoints/);
      return true;
    });
  });

  it('a full journal meets the overflow policy: error says what to do, drop-newest and drop-oldest count what they drop', async () => {
    const s = await client().createSeries({ title: 'j6', caption: 'c' });
    const down = client('http://127.0.0.1:9').series(s.id);
    const small = { maxBatchPoints: 100, maxJournalBytes: 8_000, retryBaseMs: 5, maxBackoffMs: 20 }; // room for about 4 batches
    await assert.rejects(lastValueFrom(from(pairs(1_000)).pipe(writeTo(down, { ...small, journal: new FileJournal(fresh()) }))), (err: unknown) => {
      assert.ok(err instanceof WriteFailedError);
      assert.match(err.message, /journal full \(maxJournalBytes 8000\)/);
      assert.match(err.message, /raise maxJournalBytes, or choose overflow 'drop-oldest' or 'drop-newest'/);
      return true;
    });
    for (const overflow of ['drop-newest', 'drop-oldest'] as const) {
      const dir = fresh();
      let accepted = 0;
      const sub = from(pairs(1_000)).pipe(writeTo(down, { ...small, overflow, journal: new FileJournal(dir), onJournaled: (b) => (accepted += b.points) })).subscribe();
      sub.unsubscribe();
      const receipts = await lastValueFrom(EMPTY.pipe(writeTo(s, { journal: new FileJournal(dir) }), toArray()));
      const kept = receipts.reduce((n, r) => n + r.points, 0);
      assert.ok(kept > 0 && kept < 1_000, `${overflow}: kept ${kept}`);
      if (overflow === 'drop-newest') assert.equal(kept, accepted, 'what was accepted is kept');
      const stored = await lastValueFrom(s.values().pipe(toArray()));
      if (overflow === 'drop-newest') assert.deepEqual(stored.slice(0, kept), pairs(kept), 'the oldest are kept');
      else assert.deepEqual(stored.at(-1), pairs(1_000).at(-1), 'the newest are kept');
    }
  });

  it('a second sink on a journal in use fails with JournalLockedError', async () => {
    const s = await client().createSeries({ title: 'j5', caption: 'c' });
    const dir = fresh();
    const first = new Subject<readonly [number, number]>().pipe(writeTo(s, { journal: new FileJournal(dir) })).subscribe();
    await assert.rejects(lastValueFrom(EMPTY.pipe(writeTo(s, { journal: new FileJournal(dir) }))), { name: 'JournalLockedError' });
    first.unsubscribe();
  });
});

describe('writeFrom', () => {
  it('pulls a CSV stream only while there is room, and writes all of it', async () => {
    const s = await client().createSeries({ title: 'f1', caption: 'c' });
    const lines = 60_000;
    let produced = 0;
    let acked = 0;
    let maxAhead = 0;
    // eslint-disable-next-line @typescript-eslint/require-await -- a pulled source, read one chunk at a time
    async function* csv() {
      for (let i = 0; i < lines; i += 500) {
        let text = '';
        for (let k = i; k < i + 500; k++) text += `${1_700_000_000 + k},${k}\n`;
        produced += 500;
        maxAhead = Math.max(maxAhead, produced - acked);
        yield Buffer.from(text);
      }
    }
    await lastValueFrom(writeFrom(s, Readable.from(csv()), { maxBufferPoints: 5_000, maxBatchPoints: 1_000 }).pipe(tap((r) => (acked += r.points))));
    assert.equal(acked, lines);
    assert.ok(maxAhead <= 5_000 + 2 * 1_000 + 500, `read ahead at most the budget, was ${maxAhead}`);
    assert.equal((await lastValueFrom(s.values({ pageSize: 100_000 }).pipe(toArray()))).length, lines);
  });

  it('takes chunks larger than its room: what does not fit waits, and the default holds two batches', async () => {
    const s = await client().createSeries({ title: 'f3', caption: 'c' });
    const lines = 24_000;
    let produced = 0;
    let acked = 0;
    let maxAhead = 0;
    // eslint-disable-next-line @typescript-eslint/require-await -- a pulled source, read one chunk at a time
    async function* csv() {
      // 6,000 lines a chunk, six batches of 1,000: more than the memory budget and the in-memory journal.
      for (let i = 0; i < lines; i += 6_000) {
        let text = '';
        for (let k = i; k < i + 6_000; k++) text += `${1_700_000_000 + k},${k}\n`;
        produced += 6_000;
        maxAhead = Math.max(maxAhead, produced - acked);
        yield text;
      }
    }
    // Before, a batch of the first chunk met "journal full": the room was checked per chunk, not per batch.
    await lastValueFrom(writeFrom(s, csv(), { maxBatchPoints: 1_000 }).pipe(tap((r) => (acked += r.points))));
    assert.equal(acked, lines);
    assert.ok(maxAhead <= 6_000 + 2 * 1_000, `read ahead at most a chunk and two batches, was ${maxAhead}`);
    assert.equal((await lastValueFrom(s.values({ pageSize: 100_000 }).pipe(toArray()))).length, lines);
  });

  it('names a bad CSV line, after writing the lines before it', async () => {
    const s = await client().createSeries({ title: 'f2', caption: 'c' });
    const body = new ReadableStream<string>({
      start(c) {
        c.enqueue('1700000000,1\n1700000001,2\n');
        c.enqueue('1700000002,oops\n');
        c.close();
      },
    });
    await assert.rejects(lastValueFrom(writeFrom(s, body)), /line 3/);
  });
});

describe('writeTo from timetric/node', () => {
  it('journals a synchronous source as it emits, past maxBufferPoints: its journal code is loaded with it', async () => {
    const { writeTo: nodeWriteTo } = await import('../../src/node/index.js');
    const s = await client().createSeries({ title: 'n1', caption: 'c' });
    const receipts = await lastValueFrom(from(pairs(300_000)).pipe(nodeWriteTo(s, { journal: fresh(), maxBufferPoints: 50_000 }), toArray()));
    assert.equal(receipts.reduce((n, r) => n + r.points, 0), 300_000);
  });
});
