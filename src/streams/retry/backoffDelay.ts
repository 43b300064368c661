/**
 * Exponential backoff with jitter: `baseMs · 2^(attempt-1)`, capped at `maxMs`, then scaled by a
 * random factor in [0.5, 1) so that many clients do not retry in step.
 *
 * @param attempt - 1 for the first retry.
 * @param random - `Math.random` or a stub returning [0, 1).
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp * (0.5 + random() / 2));
}
