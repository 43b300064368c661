import { parseTime } from '../../codec/parseTime.js';
import { quoteExcerpt } from '../../codec/quoteExcerpt.js';
import type { PointRange } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';

function time(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    return parseTime(text);
  } catch (err) {
    throw new HttpProblem(400, `invalid ${name}: ${(err as Error).message}`);
  }
}

/**
 * Reads `start`, `end` (unix seconds or ISO 8601) and `limit` (positive integer ≤ max) from a query.
 * Linear in the query (parseTime's number scanner); a 400 quotes at most 200 characters of a value.
 */
export function readRange(query: URLSearchParams, maxLimit: number): PointRange {
  const limitText = query.get('limit') ?? undefined;
  let limit: number | undefined;
  if (limitText !== undefined && limitText !== '') {
    if (!/^\d+$/.test(limitText) || Number(limitText) < 1) {
      throw new HttpProblem(400, `invalid limit ${quoteExcerpt(limitText)}: expected a whole number of points ≥ 1`);
    }
    limit = Number(limitText);
    if (limit > maxLimit) throw new HttpProblem(400, `invalid limit ${quoteExcerpt(limitText)}: at most ${maxLimit} points a page`);
  }
  return { start: time('start', query.get('start') ?? undefined), end: time('end', query.get('end') ?? undefined), limit };
}
