import type { FetchLike } from '../index.js';
import type { RequestOutcome } from './connectionState.js';

/**
 * A `fetch` that reports the outcome of every request to `report` (see {@link RequestOutcome}):
 * answers below 500 other than 429 are `'ok'`, the rest and network errors are `'failed'`, a
 * request the page aborted reports nothing, and an event stream that the server ends reports
 * `'dropped'` when its body ends. The response itself is handed on unchanged in content.
 * Requests are sent with `credentials: 'omit'`.
 */
export function watchedFetch(inner: FetchLike, report: (outcome: RequestOutcome) => void): FetchLike {
  return async (input, init) => {
    let response: Response;
    try {
      // No cookies and no HTTP-auth cache: the client sends its own Authorization. Without this a
      // 401 challenge (an anonymous read of a private series) would open the browser's own
      // password dialog and stall the request behind it.
      response = await inner(input, { ...init, credentials: 'omit' });
    } catch (err) {
      if (!init?.signal?.aborted) report('failed');
      throw err;
    }
    report(response.status >= 500 || response.status === 429 ? 'failed' : 'ok');
    if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response;
    const signal = init?.signal;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        flush: () => {
          if (!signal?.aborted) report('dropped');
        },
      }),
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
