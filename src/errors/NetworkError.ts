import { TimetricError } from './TimetricError.js';

/**
 * The request did not get an HTTP answer: connection refused or reset, DNS failure, a body cut off.
 * `sent` tells whether the request may have reached the server (false only when the connection was
 * never made), which matters for writes that are not idempotent (increments).
 */
export class NetworkError extends TimetricError {
  override name = 'NetworkError';
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    super(`${method} ${url} failed: ${cause instanceof Error ? cause.message : String(cause)}; check that the server is reachable`, { cause });
    this.method = method;
    this.url = url;
  }
}
