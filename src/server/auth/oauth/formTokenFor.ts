import { createHmac } from 'node:crypto';
import type { OAuthTokenRecord } from '../../store/Store.js';

/**
 * The hidden field binding an authorize form to its request token: an HMAC keyed with the request
 * token's secret, which only this server and the consumer know. It needs no server state, so it
 * works across several instances; and the form needs the user's password anyway, so a forged post
 * from another site cannot authorize anything.
 */
export function formTokenFor(token: OAuthTokenRecord): string {
  return createHmac('sha256', token.secret).update(`authorize:${token.token}`).digest('base64url');
}
