// A ChunkTable in plain arrays, for the shared chunk logic's own specs (the stores' SQL is
// tested by the conformance and model specs on SQLite and PostgreSQL). It also checks the
// invariant the logic promises: chunks disjoint, no head point inside a chunk.
import type { Point, PointValue } from '../../../src/codec/Point.js';
import type { ChunkSummary } from '../../../src/codec/chunk/ChunkSummary.js';
import type { ChunkMeta, ChunkWithData } from '../../../src/server/store/chunks/ChunkMeta.js';
import type { ChunkTable, TimeBounds } from '../../../src/server/store/chunks/ChunkTable.js';
import type { Columns } from '../../../src/server/store/chunks/Columns.js';
import { doneStep } from '../../../src/server/store/chunks/Step.js';

interface Row extends ChunkWithData {
  key: number;
  summary: ChunkSummary;
}

const inside = (t: number, b: TimeBounds): boolean =>
  (b.lowIncluded ? t >= b.low : t > b.low) && (b.highIncluded ? t <= b.high : t < b.high);

export class MemoryChunkTable implements ChunkTable {
  rows: Row[] = [];
  head = new Map<number, Map<number, PointValue>>();
  private nextRef = 1;

  private of(key: number): Row[] {
    return this.rows.filter((r) => r.key === key).sort((a, b) => a.start - b.start);
  }
  private headOf(key: number): Map<number, PointValue> {
    let h = this.head.get(key);
    if (!h) this.head.set(key, (h = new Map<number, PointValue>()));
    return h;
  }
  private meeting(key: number, from: number, to: number, limit: number): Row[] {
    return this.of(key).filter((r) => r.end >= from && r.start <= to).slice(0, limit);
  }
  chunksMeeting(key: number, from: number, to: number, limit: number) {
    return doneStep<ChunkMeta[]>(this.meeting(key, from, to, limit).map(({ ref, start, end, count }) => ({ ref, start, end, count })));
  }
  chunksMeetingWithData(key: number, from: number, to: number, limit: number) {
    return doneStep<ChunkWithData[]>(this.meeting(key, from, to, limit));
  }
  chunkBefore(key: number, time: number) {
    const before = this.of(key).filter((r) => r.start < time);
    const r = before[before.length - 1];
    return doneStep<ChunkMeta | undefined>(r && { ref: r.ref, start: r.start, end: r.end, count: r.count });
  }
  chunkData(ref: number) {
    return doneStep(this.rows.find((r) => r.ref === ref)!.data);
  }
  insertChunk(key: number, summary: ChunkSummary, data: Uint8Array) {
    this.rows.push({ key, ref: this.nextRef++, start: summary.start, end: summary.end, count: summary.count, data, summary });
    return doneStep(undefined);
  }
  deleteChunks(refs: readonly number[]) {
    this.rows = this.rows.filter((r) => !refs.includes(r.ref));
    return doneStep(undefined);
  }
  headIn(key: number, bounds: TimeBounds) {
    const pts = [...this.headOf(key)].filter(([t]) => inside(t, bounds)).sort((a, b) => a[0] - b[0]);
    return doneStep<Columns>({ times: pts.map((p) => p[0]), values: pts.map((p) => p[1]) });
  }
  deleteHeadIn(key: number, bounds: TimeBounds) {
    const h = this.headOf(key);
    let n = 0;
    for (const t of [...h.keys()]) {
      if (inside(t, bounds)) {
        h.delete(t);
        n++;
      }
    }
    return doneStep(n);
  }
  upsertHead(key: number, points: Columns) {
    const h = this.headOf(key);
    for (let i = 0; i < points.times.length; i++) h.set(points.times[i]!, points.values[i]!);
    return doneStep(undefined);
  }
  lastChunkPoint(key: number) {
    const rows = this.of(key);
    return doneStep<Point | undefined>(rows[rows.length - 1]?.summary.last);
  }
  lastHeadPoint(key: number) {
    const pts = [...this.headOf(key)].sort((a, b) => a[0] - b[0]);
    const p = pts[pts.length - 1];
    return doneStep<Point | undefined>(p && [p[0], p[1]]);
  }
  deleteAll(key: number) {
    this.rows = this.rows.filter((r) => r.key !== key);
    this.head.delete(key);
    return doneStep(undefined);
  }

  /** Throws when chunks overlap or a head point lies inside a chunk. */
  checkInvariant(key: number): void {
    const rows = this.of(key);
    for (let i = 1; i < rows.length; i++) {
      if (rows[i]!.start <= rows[i - 1]!.end) throw new Error(`chunks overlap: [${rows[i - 1]!.start}, ${rows[i - 1]!.end}] and [${rows[i]!.start}, ${rows[i]!.end}]`);
    }
    for (const t of this.headOf(key).keys()) {
      const r = rows.find((c) => c.start <= t && t <= c.end);
      if (r) throw new Error(`head point ${t} inside chunk [${r.start}, ${r.end}]`);
    }
  }
}
