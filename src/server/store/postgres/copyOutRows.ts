import type { PoolClient } from 'pg';
import type { to as copyToFn } from 'pg-copy-streams';
import type { PointValue } from '../../../codec/Point.js';

/** Rows of `series_id, ts, v, b` ordered by series: the points as columns, with where each series' run starts. */
export interface KeyedPointRows {
  times: Float64Array;
  values: PointValue[];
  /** One entry a series, in row order: its key (decimal text) and its rows `[from, to)`. */
  runs: { key: string; from: number; to: number }[];
}

/**
 * Runs `COPY (SELECT series_id, ts, v, b … ORDER BY series_id, ts) TO STDOUT` on the client
 * (inside its transaction) and parses the text rows with one linear scan: about twice as fast as a
 * SELECT through pg's row parser, and one string per series rather than per row.
 */
export async function copyOutRows(client: PoolClient, copyTo: typeof copyToFn, sql: string): Promise<KeyedPointRows> {
  const parts: Buffer[] = [];
  for await (const part of client.query(copyTo(sql))) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('latin1');
  let rows = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) rows++;
  const times = new Float64Array(rows);
  const values = new Array<PointValue>(rows);
  const runs: KeyedPointRows['runs'] = [];
  let run: KeyedPointRows['runs'][number] | undefined;
  let at = 0;
  for (let row = 0; row < rows; row++) {
    const tab1 = text.indexOf('\t', at);
    if (!run || tab1 - at !== run.key.length || !text.startsWith(run.key, at)) {
      if (run) run.to = row;
      run = { key: text.slice(at, tab1), from: row, to: rows };
      runs.push(run);
    }
    const tab2 = text.indexOf('\t', tab1 + 1);
    const tab3 = text.indexOf('\t', tab2 + 1);
    const nl = text.indexOf('\n', tab3 + 1);
    times[row] = Number(text.slice(tab1 + 1, tab2));
    const b = text.charCodeAt(tab3 + 1);
    values[row] = text.charCodeAt(tab2 + 1) !== 92 /* \N */ ? Number(text.slice(tab2 + 1, tab3)) : b === 116 /* t */ ? true : b === 102 /* f */ ? false : null;
    at = nl + 1;
  }
  return { times, values, runs };
}
