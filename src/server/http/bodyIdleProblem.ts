import { HttpProblem } from './HttpProblem.js';

/**
 * The answer to a request body that sent nothing for `ms` while the server waited for it: 408
 * with `Connection: close`, so the rest of the body is never read.
 *
 * @param ms - The silence, ms (from the `bodyIdleTimeoutMs` option).
 * @returns The problem to throw.
 */
export function bodyIdleProblem(ms: number): HttpProblem {
  return new HttpProblem(408, `the request body sent nothing for ${ms} ms; nothing was applied, send it again`, { connection: 'close' });
}
