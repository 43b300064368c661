import { TimetricError } from './TimetricError.js';

/** The server answered a push (Server-Sent Events) request with something that is not an event stream. */
export class PushUnavailableError extends TimetricError {
  override name = 'PushUnavailableError';
  readonly url: string;
  /** The `Content-Type` the server sent instead of `text/event-stream`. */
  readonly contentType: string;

  constructor(url: string, contentType: string) {
    super(`GET ${url} answered ${contentType || 'without a content type'} instead of text/event-stream: the server does not offer push`);
    this.url = url;
    this.contentType = contentType;
  }
}
