import { HttpError, type HttpErrorDetails } from './HttpError.js';

/**
 * The server refused the credentials (401) or the action (403): a wrong token secret, a revoked
 * token, an OAuth signature that does not match, or a write to another user's series.
 */
export class AuthenticationError extends HttpError {
  override name = 'AuthenticationError';

  constructor(details: HttpErrorDetails) {
    super(
      details,
      `${details.method} ${details.url} was refused (HTTP ${details.status}): ${details.body.trim().slice(0, 200) || 'no reason given'}. Check the token key and secret, or the OAuth consumer and access token.`,
    );
  }
}
