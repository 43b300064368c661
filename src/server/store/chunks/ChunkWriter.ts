import { decodeChunk } from '../../../codec/chunk/decodeChunk.js';
import { encodeChunk } from '../../../codec/chunk/encodeChunk.js';
import { summarizeChunk } from '../../../codec/chunk/summarizeChunk.js';
import type { ChunkMeta } from './ChunkMeta.js';
import { checkChunkAlign, chunkCut, crossesAlignedTime, isCompleteChunk } from './chunkCut.js';
import type { ChunkTable, TimeBounds } from './ChunkTable.js';
import type { Columns } from './Columns.js';
import { mergeColumns, type OwnedColumns } from './mergeColumns.js';
import { DEFAULT_CHUNK_STORE_OPTIONS, type ChunkStoreOptions } from './chunkStoreOptions.js';
import { sliceColumns } from './sliceColumns.js';
import type { Step } from './Step.js';

const NONE: Columns = { times: [], values: [] };
/** Most short chunks left standing in a row before a write merges them. */
const MAX_SHORT_TAIL = 16;

/**
 * Writes runs of points into a series' chunks, inside one transaction of the store: each run
 * (`add`) is merged with the chunks and head points it meets — its values win at equal times —
 * and the result is cut into chunks of at most `chunkPoints`, ending before an aligned time where
 * the point rate allows (`chunkCut`: 1 Hz makes one chunk an hour). Only the chunks a run touches are rewritten,
 * at most `chunksPerStep` at a time, so memory stays bounded whatever the write overlaps. Up to
 * two chunks' worth of points is carried from run to run, so a sorted upload sent in many runs
 * still makes full chunks; `finish()` writes what is carried. Short chunks an append leaves behind
 * are merged into a full one by the write that brings them to `chunkPoints` (or finds 16 in a
 * row), so appending never re-encodes a growing last chunk on every write; a chunk cut at an
 * aligned time is complete, not short.
 */
export class ChunkWriter<K = number> {
  private carry: OwnedColumns | undefined;
  private readonly o: Required<ChunkStoreOptions>;
  /** Points added so far that replaced a stored point at the same time (`X-Timetric-Replaced`). */
  replaced = 0;

  constructor(
    private readonly table: ChunkTable<K>,
    private readonly key: K,
    options: ChunkStoreOptions = {},
  ) {
    this.o = { ...DEFAULT_CHUNK_STORE_OPTIONS, ...options };
    checkChunkAlign(this.o.chunkAlign);
  }

  /** Adds points ascending and unique by time, all after the points of earlier runs. */
  *add(run: Columns): Step<void> {
    const { table, key, o } = this;
    const n = run.times.length;
    let i = 0;
    while (i < n) {
      const lo = this.carry ? this.carry.times[0]! : run.times[i]!;
      const last = run.times[n - 1]!;
      const meets = yield* table.chunksMeeting(key, lo, last, o.chunksPerStep);
      let chunks: ChunkMeta[] = meets;
      if (meets.length === 0 || meets[0]!.start > lo) {
        // Short chunks just before: merged once they and what comes make a full chunk (or too
        // many of them stand in a row), so an append re-encodes a point about twice in all, not
        // a growing last chunk on every write (batches of 500 re-encoded ~4.4 points a point).
        // Also when they reach an aligned time, where the cut would end a complete chunk.
        const tail = yield* this.shortTail(lo);
        const coming = (this.carry?.times.length ?? 0) + (n - i);
        const total = tail.reduce((a, c) => a + c.count, 0) + coming;
        if (tail.length && (tail.length >= MAX_SHORT_TAIL || total >= o.chunkPoints || crossesAlignedTime(tail[0]!.start, last, total, o))) chunks = [...tail, ...meets];
      }
      const capped = meets.length === o.chunksPerStep;
      const lastEnd = meets[meets.length - 1]?.end ?? last;
      const hi = capped ? lastEnd : Math.max(last, lastEnd);
      let j = n;
      if (capped) for (j = i; j < n && run.times[j]! <= hi; ) j++;
      const bounds: TimeBounds = { low: Math.min(lo, chunks[0]?.start ?? lo), lowIncluded: true, high: hi, highIncluded: true };
      let existing: Columns = this.carry ?? NONE;
      for (const c of chunks) existing = mergeColumns(existing, decodeChunk(yield* table.chunkData(c.ref)));
      existing = mergeColumns(existing, yield* table.headIn(key, bounds));
      const merged = mergeColumns(existing, i === 0 && j === n ? run : sliceColumns(run, i, j));
      // What the run met and what came out differ by the points it replaced (the carry holds
      // earlier times only, so it meets none of the run).
      this.replaced += existing.times.length + (j - i) - merged.times.length;
      if (chunks.length) yield* table.deleteChunks(chunks.map((c) => c.ref));
      yield* table.deleteHeadIn(key, bounds);
      this.carry = yield* this.writeFull(merged);
      i = j;
    }
  }

  /** The short chunks standing in a row just before `time`, ascending, at most {@link MAX_SHORT_TAIL}. */
  private *shortTail(time: number): Step<ChunkMeta[]> {
    const tail: ChunkMeta[] = [];
    let total = 0;
    for (let at = time; tail.length < MAX_SHORT_TAIL && total < this.o.chunkPoints; ) {
      const c = yield* this.table.chunkBefore(this.key, at);
      if (!c || isCompleteChunk(c, at, this.o)) break;
      tail.unshift(c);
      total += c.count;
      at = c.start;
    }
    return tail;
  }

  /** Writes the points still carried. The writer is done after it. */
  *finish(): Step<void> {
    const carry = this.carry;
    this.carry = undefined;
    if (!carry || carry.times.length === 0) return;
    const n = carry.times.length;
    for (let from = 0; from < n; ) {
      const cut = chunkCut(carry.times, from, n, this.o);
      // Cut by count: one chunk up to 1.25 × chunkPoints; above, a full one and the rest (never a sliver).
      const end = cut.aligned || n - from > this.o.chunkPoints * 1.25 ? cut.end : n;
      yield* this.insert(from === 0 && end === n ? carry : sliceColumns(carry, from, end));
      from = end;
    }
  }

  /** Writes chunks while more than two chunks' worth is left; returns the rest. */
  private *writeFull(merged: OwnedColumns): Step<OwnedColumns | undefined> {
    const size = this.o.chunkPoints;
    const n = merged.times.length;
    let from = 0;
    while (n - from > 2 * size) {
      const { end } = chunkCut(merged.times, from, n, this.o);
      yield* this.insert(sliceColumns(merged, from, end));
      from = end;
    }
    return from === n ? undefined : from === 0 ? merged : sliceColumns(merged, from, n);
  }

  private *insert(c: OwnedColumns): Step<void> {
    yield* this.table.insertChunk(this.key, summarizeChunk(c.times, c.values), encodeChunk(c.times, c.values));
  }
}
