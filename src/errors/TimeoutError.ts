import { TimetricError } from './TimetricError.js';

/** A request did not complete within the configured timeout. */
export class TimeoutError extends TimetricError {
  override name = 'TimeoutError';
  readonly method: string;
  readonly url: string;
  /** The timeout that elapsed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(method: string, url: string, timeoutMs: number) {
    super(`${method} ${url} timed out after ${timeoutMs} ms; raise the client's timeoutMs option or check the server.`);
    this.method = method;
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}
