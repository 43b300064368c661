import { isHttpError } from '../errors/typeGuards.js';

// Socket codes meaning the connection was never made: the request cannot have reached the server.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when a failed request provably had no effect, so even a non-idempotent request (an
 * increment) may be sent again: the server answered 429 or 503 (it refused the work), or the
 * connection was never established (connection refused, DNS failure), anywhere in the `cause`
 * chain. A reset, a cut-off answer or a timeout after sending is NOT in this set: the server may
 * have applied the request.
 *
 * @example
 * ```ts
 * import { isNotApplied } from './isNotApplied.js'; // internal: incrementTo retries by it
 * isNotApplied(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })); // true
 * isNotApplied(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));     // false
 * ```
 */
export function isNotApplied(err: unknown): boolean {
  if (isHttpError(err)) return err.status === 429 || err.status === 503;
  let e: unknown = err;
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
