import { createDownsampler } from '../../../codec/downsample/createDownsampler.js';
import type { ChunkScratch } from '../../../codec/chunk/decodeChunk.js';
import type { DownsampleSpec } from '../../../codec/downsample/DownsampleSpec.js';
import type { Point } from '../../../codec/Point.js';
import { SUMMARIES_PER_DECODE, downsampleChunkedStep } from './downsampleChunkedStep.js';
import type { DownsampleTable } from './downsampleTable.js';
import type { ReadCursor } from './readChunkedStep.js';
import type { Step } from './Step.js';

/**
 * Runs one step in the store's read transaction, on its table and the series' key; undefined when
 * the series is gone (the read then ends).
 */
export type RunDownsampleStep = <T>(make: <K>(table: DownsampleTable<K>, key: K) => Step<T>) => Promise<T | undefined>;

/**
 * A downsampled read of one series (see `Store.downsample`) as pieces of output points, made of
 * {@link downsampleChunkedStep}s: each its own read transaction, a turn of the event loop between
 * them, so a year of data holds the loop for one step at a time. The same for both stores: SQLite
 * runs each step synchronously, PostgreSQL awaits each statement.
 */
export async function* downsampleInSteps(spec: DownsampleSpec, run: RunDownsampleStep, chunksPerStep: number): AsyncGenerator<Point[]> {
  const ds = createDownsampler(spec);
  let cursor: ReadCursor | undefined = { time: spec.start, included: true };
  // Summaries to list in a step: a quarter more than the step before folded (a step stops after
  // chunksPerStep decodes, so where every chunk straddles an edge, listing the most re-lists most;
  // listing twice as many re-listed half the summaries of an M4 read over a year).
  const most = chunksPerStep * SUMMARIES_PER_DECODE;
  // The arrays every chunk of this read is decoded into (a year of M4 decodes 1,600 chunks).
  const scratch: ChunkScratch = { times: new Float64Array(0), numbers: new Float64Array(0) };
  let limit = most;
  while (cursor) {
    const at: ReadCursor = cursor;
    const size = limit;
    const got = await run((table, key) => downsampleChunkedStep(table, key, ds, at, spec.end, chunksPerStep, size, scratch));
    cursor = got?.next;
    if (got) limit = Math.min(most, Math.max(chunksPerStep + 1, Math.ceil(got.folded * 1.25)));
    const out = ds.take();
    if (out.length > 0) yield out;
    if (cursor) await new Promise((resolve) => setImmediate(resolve));
  }
  ds.finish();
  const last = ds.take();
  if (last.length > 0) yield last;
}
