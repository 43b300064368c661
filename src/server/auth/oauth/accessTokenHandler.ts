import { AuthFailure } from '../AuthFailure.js';
import { mintKey, mintSecret, safeEqual } from '../secrets.js';
import { toAuthRequest } from '../toAuthRequest.js';
import { verifyOAuthRequest } from '../verifyOAuthRequest.js';
import type { OAuthHandler } from './OAuthHandler.js';
import type { OAuthRouteContext } from './OAuthRouteContext.js';

/**
 * `GET|POST /oauth/access_token/`: signed with the consumer and request-token secrets; checks the
 * 1.0a verifier when the token was issued with a callback (and any verifier that is sent), then
 * exchanges the authorized request token, once, for an access token of the user who authorized it.
 * The exchange is the store's atomic `consumeRequestToken`, so two racing requests (on any
 * instances) get one access token between them. Bad credentials answer 401.
 */
export function accessTokenHandler(ctx: OAuthRouteContext): OAuthHandler {
  const { store, clock, replies } = ctx;
  return async (req, reply) => {
    try {
      const { consumer, token, oauth } = await verifyOAuthRequest(store, toAuthRequest(req, ctx.publicUrl), {
        clock,
        timestampSkewSeconds: ctx.timestampSkewSeconds,
        token: 'request',
      });
      if (!token) throw new AuthFailure('oauth_token (the request token) is missing');
      if (token.userId === null) throw new AuthFailure('the request token has not been authorized by a user yet');
      const verifier = oauth.oauth_verifier;
      // OAuth 1.0a (callback given at request-token time) requires the verifier; plain 1.0 has none,
      // but one that is sent must still be right.
      if (token.callback !== null && verifier === undefined) throw new AuthFailure('oauth_verifier is missing (OAuth 1.0a)');
      if (verifier !== undefined && !safeEqual(verifier, token.verifier ?? '')) throw new AuthFailure('wrong oauth_verifier');
      if (!(await store.consumeRequestToken(token.token))) throw new AuthFailure('this request token has been exchanged already');
      const access = await store.saveOAuthToken({
        token: mintKey(),
        secret: mintSecret(),
        consumerKey: consumer.key,
        kind: 'access',
        userId: token.userId,
        callback: null,
        verifier: null,
        expiresAt: null,
      });
      return replies.formEncoded(reply, { oauth_token: access.token, oauth_token_secret: access.secret });
    } catch (err) {
      if (err instanceof AuthFailure) return replies.fail(reply, 401, err.message);
      throw err;
    }
  };
}
