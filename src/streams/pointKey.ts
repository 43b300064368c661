import type { Point } from '../codec/Point.js';

/** A string equal for equal points (time and value), `'null'` for no point: how live streams tell a change. */
export const pointKey = (p: Point | null): string => (p === null ? 'null' : `${p[0]}|${String(p[1])}`);
