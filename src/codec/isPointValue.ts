import type { PointValue } from './Point.js';

/** True for what a point may hold: a number, a boolean or `null`. */
export const isPointValue = (v: unknown): v is PointValue => v === null || typeof v === 'boolean' || typeof v === 'number';
