/**
 * `a` is smaller than `b` as `Math.min` orders them: -0 counts below +0, so the minimum point of a
 * run agrees with its chunk summary's `min`. (Stored values are finite: no NaN.)
 */
export function isBelow(a: number, b: number): boolean {
  return a < b || (a === 0 && b === 0 && Object.is(a, -0) && !Object.is(b, -0));
}
