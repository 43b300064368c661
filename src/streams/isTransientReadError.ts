import { isRetryable } from './isRetryable.js';

// Socket-level codes of a body cut off mid-read (Node streams, node-fetch, undici).
const CUT_OFF = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'UND_ERR_BODY_TIMEOUT']);

/**
 * True when a read failed in a way a retry can fix: everything {@link isRetryable} accepts
 * (network errors before the answer, timeouts, 408/429/502/503/504) plus a response body cut off
 * while it was being read, which the request layer cannot wrap because it surfaces later: node-fetch's
 * `FetchError` of type `system`, a premature close or connection reset, or a browser's/undici's
 * `TypeError` (`network error`, `terminated`), anywhere in the `cause` chain. Aborts are never transient.
 *
 * @example
 * ```ts
 * import { isTransientReadError } from './isTransientReadError.js'; // internal: values() resumes by it
 * isTransientReadError(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })); // true
 * ```
 */
export function isTransientReadError(err: unknown): boolean {
  if (isRetryable(err)) return true;
  let e: unknown = err;
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth++) {
    const x = e as { name?: unknown; code?: unknown; type?: unknown; message?: unknown };
    if (x.name === 'AbortError') return false;
    if (typeof x.code === 'string' && CUT_OFF.has(x.code)) return true;
    if (x.name === 'FetchError' && x.type === 'system') return true;
    if (e instanceof TypeError && /network|terminated|premature|socket/i.test(String(x.message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
