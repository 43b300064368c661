import type { PoolClient } from 'pg';
import type { to as copyToFn } from 'pg-copy-streams';
import type { PointValue } from '../../../codec/Point.js';

/** Rows of `series_id, ts, v, b` as COPY text gives them: the key as decimal text, the value as a point value. */
export interface KeyedPointRows {
  keys: string[];
  times: Float64Array;
  values: PointValue[];
}

/**
 * Runs `COPY (SELECT series_id, ts, v, b …) TO STDOUT` on the client (inside its transaction) and
 * parses the text rows with a linear scan: about twice as fast as a SELECT through pg's row parser.
 */
export async function copyOutRows(client: PoolClient, copyTo: typeof copyToFn, sql: string): Promise<KeyedPointRows> {
  const parts: Buffer[] = [];
  for await (const part of client.query(copyTo(sql))) parts.push(part as Buffer);
  const text = Buffer.concat(parts).toString('latin1');
  const keys: string[] = [];
  const times: number[] = [];
  const values: PointValue[] = [];
  let at = 0;
  while (at < text.length) {
    const tab1 = text.indexOf('\t', at);
    const tab2 = text.indexOf('\t', tab1 + 1);
    const tab3 = text.indexOf('\t', tab2 + 1);
    const nl = text.indexOf('\n', tab3 + 1);
    const v = text.slice(tab2 + 1, tab3);
    const b = text.charCodeAt(tab3 + 1);
    keys.push(text.slice(at, tab1));
    times.push(Number(text.slice(tab1 + 1, tab2)));
    values.push(v !== '\\N' ? Number(v) : b === 116 /* t */ ? true : b === 102 /* f */ ? false : null);
    at = nl + 1;
  }
  return { keys, times: Float64Array.from(times), values };
}
