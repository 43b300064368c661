/**
 * Base class of every error this package throws, on the client and on the server.
 *
 * Catch it to handle any Timetric failure at once; test for a subclass (`instanceof HttpError`,
 * `instanceof ParseError`, …) or read `name` to tell them apart.
 *
 * @example
 * ```ts
 * import { TimetricError } from 'timetric';
 * try { await lastValueFrom(series.latest()); }
 * catch (err) { if (err instanceof TimetricError) console.error(err.message); else throw err; }
 * ```
 */
export class TimetricError extends Error {
  override name = 'TimetricError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
