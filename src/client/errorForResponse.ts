import { AuthenticationError } from '../errors/AuthenticationError.js';
import { HttpError } from '../errors/HttpError.js';
import { NotFoundError } from '../errors/NotFoundError.js';

/** The error for a failed response: 401/403 → AuthenticationError, 404 → NotFoundError, else HttpError. */
export async function errorForResponse(method: string, url: string, response: Response): Promise<HttpError> {
  let body = '';
  try {
    body = (await response.text()).slice(0, 500);
  } catch {
    // The body could not be read; the status still says what failed.
  }
  const details = { method, url, status: response.status, body, headers: response.headers };
  if (response.status === 401 || response.status === 403) return new AuthenticationError(details);
  if (response.status === 404) return new NotFoundError(details);
  return new HttpError(details);
}
