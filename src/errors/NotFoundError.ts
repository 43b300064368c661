import { HttpError, type HttpErrorDetails } from './HttpError.js';

/** The series (or path) does not exist, or belongs to someone else and is private (404). */
export class NotFoundError extends HttpError {
  override name = 'NotFoundError';

  constructor(details: HttpErrorDetails) {
    super(details, `${details.method} ${details.url}: not found (HTTP 404). Check the series id and that it is yours or public.`);
  }
}
