import { AuthFailure } from '../AuthFailure.js';
import { mintKey, mintSecret } from '../secrets.js';
import { toAuthRequest } from '../toAuthRequest.js';
import { verifyOAuthRequest } from '../verifyOAuthRequest.js';
import { isHttpUrl } from './isHttpUrl.js';
import type { OAuthHandler } from './OAuthHandler.js';
import type { OAuthRouteContext } from './OAuthRouteContext.js';

/**
 * `GET|POST /oauth/request_token/`: signed with the consumer secret alone; answers
 * `oauth_token=…&oauth_token_secret=…` (plus `oauth_callback_confirmed=true` for a 1.0a
 * `oauth_callback`, which must be an absolute http(s) URL or `oob`). The token expires after
 * `requestTokenTtlSeconds`. Bad credentials answer 401.
 */
export function requestTokenHandler(ctx: OAuthRouteContext): OAuthHandler {
  const { store, clock, replies } = ctx;
  return async (req, reply) => {
    try {
      const { consumer, oauth } = await verifyOAuthRequest(store, toAuthRequest(req, ctx.publicUrl), { clock, timestampSkewSeconds: ctx.timestampSkewSeconds, token: 'none' });
      const callback = oauth.oauth_callback;
      if (callback !== undefined && callback !== 'oob' && !isHttpUrl(callback)) {
        return replies.fail(reply, 400, 'oauth_callback must be an absolute http(s) URL or "oob"');
      }
      const token = await store.saveOAuthToken({
        token: mintKey(),
        secret: mintSecret(),
        consumerKey: consumer.key,
        kind: 'request',
        userId: null,
        callback: callback ?? null,
        verifier: null,
        expiresAt: Math.floor(clock()) + ctx.requestTokenTtlSeconds,
      });
      return replies.formEncoded(reply, {
        oauth_token: token.token,
        oauth_token_secret: token.secret,
        ...(callback === undefined ? {} : { oauth_callback_confirmed: 'true' }),
      });
    } catch (err) {
      if (err instanceof AuthFailure) return replies.fail(reply, 401, err.message);
      throw err;
    }
  };
}
