import { TimetricError } from './TimetricError.js';

/** What an {@link HttpError} knows about the exchange that failed. */
export interface HttpErrorDetails {
  /** Request method, e.g. `'POST'`. */
  method: string;
  /** Request URL, without credentials. */
  url: string;
  /** Response status code. */
  status: number;
  /** The first 500 characters of the response body (the server names the problem there). */
  body: string;
  /** Response headers, when known. */
  headers?: Headers | undefined;
  cause?: unknown;
}

/**
 * The server answered with a status that means failure. Subclasses: {@link AuthenticationError}
 * (401/403), {@link NotFoundError} (404).
 */
export class HttpError extends TimetricError {
  override name = 'HttpError';
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** First 500 characters of the response body. */
  readonly body: string;
  readonly headers: Headers | undefined;

  constructor(details: HttpErrorDetails, message?: string) {
    const excerpt = details.body.trim().slice(0, 500);
    super(
      message ?? `${details.method} ${details.url} failed with HTTP ${details.status}${excerpt ? `: ${excerpt}` : ''}`,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.method = details.method;
    this.url = details.url;
    this.status = details.status;
    this.body = excerpt;
    this.headers = details.headers;
  }
}
