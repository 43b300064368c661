import { firstIndexAfter } from '../../../codec/firstIndexAfter.js';
import { DEFAULT_CHUNK_STORE_OPTIONS } from './chunkStoreOptions.js';

/** Where a chunk ends (exclusive index) and whether it ends at an aligned time. */
export interface ChunkCut {
  end: number;
  aligned: boolean;
}

/** What {@link chunkCut} needs of the store's options. */
export interface ChunkCutOptions {
  chunkPoints: number;
  /** Alignments in seconds, coarsest first, each a multiple of the last. */
  chunkAlign: readonly number[];
}

/** Fewest points before an aligned cut, as a share of `chunkPoints`: an alignment never leaves a chunk shorter than this. */
export const ALIGN_MIN_SHARE = 8;

/** The fewest points a chunk cut at an aligned time holds. */
export function alignMinPoints(chunkPoints: number): number {
  return Math.max(1, Math.ceil(chunkPoints / ALIGN_MIN_SHARE));
}

/**
 * Where the chunk that begins at point `from` of `times` (ascending) ends, given the points up to
 * `to`: at most `chunkPoints` points, and, where the span allows, before an aligned time, so that a
 * bucket whose width is a multiple of the alignment holds whole chunks (folded from their
 * summaries) and never one cut across its edge.
 *
 * The alignment follows the point rate: the largest of `chunkAlign` that a full chunk's span
 * reaches (1 Hz: 4,096 points span 68 min, so 3,600 s: one chunk an hour; one point a minute: 68 h,
 * so 86,400 s: chunks of two days, 2,880 points), or the finest when a chunk spans less (10 Hz: 60 s). The
 * span of a full chunk is read off the window of points, extrapolated when fewer than
 * `chunkPoints` are left. The cut is at the last multiple of that alignment after the first point,
 * if at least `chunkPoints / 8` points lie before it; otherwise the chunk is cut by count alone
 * (`aligned: false`), so a sparse or irregular series is never shredded into slivers.
 *
 * @example
 * ```ts
 * // 1 Hz from 00:59:00: the first chunk ends before 02:00 (3,660 points), then one chunk an hour.
 * chunkCut(times, 0, times.length, { chunkPoints: 4096, chunkAlign: [86400, 3600, 900, 60] });
 * ```
 */
export function chunkCut(times: ArrayLike<number>, from: number, to: number, o: ChunkCutOptions): ChunkCut {
  const size = o.chunkPoints;
  const w = Math.min(to, from + size);
  const levels = o.chunkAlign;
  const least = alignMinPoints(size);
  if (levels.length === 0 || w - from <= least) return { end: w, aligned: false };
  const t0 = times[from]!;
  const last = times[w - 1]!;
  const a = alignmentFor(((last - t0) * (size - 1)) / (w - from - 1), levels);
  const b = Math.floor(last / a) * a;
  if (!(b > t0)) return { end: w, aligned: false };
  // The first point at or after b: the chunk keeps the times before it.
  const lo = firstIndexAfter(times, b, true, from, w);
  return lo - from >= least ? { end: lo, aligned: true } : { end: w, aligned: false };
}

/** The alignment for chunks whose full span is `span` seconds: the largest level it reaches, else the finest. */
function alignmentFor(span: number, levels: readonly number[]): number {
  for (const level of levels) if (level <= span) return level;
  return levels[levels.length - 1]!;
}

/**
 * True when `count` points over `[start, end]` span a multiple of the alignment their rate gives
 * (after `start`), so {@link chunkCut} would end a chunk there: a write then merges the short
 * chunks before it with what it brings, and an hour's appends end as one chunk, not as the
 * pieces compactions left.
 */
export function crossesAlignedTime(start: number, end: number, count: number, o: ChunkCutOptions): boolean {
  if (o.chunkAlign.length === 0 || count < 2 || !(end > start)) return false;
  const a = alignmentFor(((end - start) * (o.chunkPoints - 1)) / (count - 1), o.chunkAlign);
  return Math.floor(end / a) * a > start;
}

/**
 * True when a stored chunk of `count` points over `[start, end]`, followed by a point (or chunk)
 * at `next`, is complete: full, or cut where {@link chunkCut} cuts at its rate (a multiple of the
 * alignment its span gives lies in `(end, next]`) with at least `chunkPoints / 8` points. Writes
 * leave complete chunks as they are and merge only short ones.
 */
export function isCompleteChunk(chunk: { count: number; start: number; end: number }, next: number, o: ChunkCutOptions): boolean {
  const { count, start, end } = chunk;
  if (count >= o.chunkPoints) return true;
  if (o.chunkAlign.length === 0 || count < alignMinPoints(o.chunkPoints)) return false;
  const a = alignmentFor(((end - start) * (o.chunkPoints - 1)) / (count - 1), o.chunkAlign);
  return Math.floor(next / a) * a > end;
}

/**
 * Checks `chunkAlign`: positive finite seconds, coarsest first, each a whole multiple of the
 * finest (so a chunk cut at any of them ends at a multiple of the finest). Throws a RangeError
 * naming the option otherwise.
 */
export function checkChunkAlign(align: readonly number[] = DEFAULT_CHUNK_STORE_OPTIONS.chunkAlign): readonly number[] {
  const finest = align[align.length - 1];
  for (let i = 0; i < align.length; i++) {
    const a = align[i]!;
    const bad =
      !(Number.isFinite(a) && a > 0) ? 'is not a positive number of seconds' : i > 0 && !(a < align[i - 1]!) ? 'is not below the one before (coarsest first)' : !Number.isInteger(a / finest!) ? `is not a whole multiple of the finest, ${finest}` : undefined;
    if (bad) throw new RangeError(`chunks.chunkAlign[${i}] (${String(a)}) ${bad}: give seconds coarsest first, e.g. [86400, 3600, 900, 60], or [] for cuts by count alone`);
  }
  return align;
}
