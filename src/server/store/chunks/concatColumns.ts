import type { PointValue } from '../../../codec/Point.js';
import type { Columns } from './Columns.js';

/**
 * Runs of points that follow each other in time (each after the one before), as one: one copy of
 * each, so a read step over many chunks is linear (appending one chunk at a time copied the run
 * so far again for every chunk). The values stay a `Float64Array` when every run's are.
 */
export function concatColumns(runs: readonly Columns[]): Columns {
  const nonEmpty = runs.filter((r) => r.times.length > 0);
  if (nonEmpty.length === 0) return { times: new Float64Array(0), values: [] };
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const n = nonEmpty.reduce((sum, r) => sum + r.times.length, 0);
  const times = new Float64Array(n);
  const typed = nonEmpty.every((r) => r.values instanceof Float64Array);
  const values: Float64Array | PointValue[] = typed ? new Float64Array(n) : new Array<PointValue>(n);
  let at = 0;
  for (const r of nonEmpty) {
    const m = r.times.length;
    if (r.times instanceof Float64Array) times.set(r.times, at);
    else for (let i = 0; i < m; i++) times[at + i] = r.times[i]!;
    if (typed) (values as Float64Array).set(r.values as Float64Array, at);
    else for (let i = 0; i < m; i++) values[at + i] = r.values[i]!;
    at += m;
  }
  return { times, values };
}
