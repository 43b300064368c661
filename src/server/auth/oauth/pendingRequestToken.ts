import type { AuthStore, OAuthTokenRecord } from '../../store/Store.js';
import { hasControlCharacter } from '../hasControlCharacter.js';

const UNKNOWN = 'This authorization request is unknown or has expired: ask the application to start again.';

/**
 * The request token a browser is authorizing, when it can still be authorized; otherwise the
 * sentence the page shows (missing, unknown, expired, or answered already).
 *
 * @param now - Unix seconds.
 */
export async function pendingRequestToken(store: AuthStore, token: string | undefined, now: number): Promise<OAuthTokenRecord | string> {
  if (!token) return 'The link is missing its oauth_token: ask the application to start again.';
  if (hasControlCharacter(token)) return UNKNOWN;
  const record = await store.getOAuthToken(token);
  if (!record || record.kind !== 'request' || (record.expiresAt !== null && record.expiresAt < now)) return UNKNOWN;
  if (record.userId !== null) return 'This authorization request has been answered already.';
  return record;
}
