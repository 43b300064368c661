import { authorizePage, messagePage } from '../authorizePage.js';
import { consumerNameOf } from './consumerNameOf.js';
import { formTokenFor } from './formTokenFor.js';
import { firstOf, type OAuthHandler } from './OAuthHandler.js';
import type { OAuthRouteContext } from './OAuthRouteContext.js';
import { pendingRequestToken } from './pendingRequestToken.js';

/**
 * `GET /oauth/authorize/?oauth_token=…[&oauth_callback=URL]`: the sign-in form (user name,
 * password, "authorize access") for a request token still waiting for a user; a page saying why
 * not (400) for one that is missing, unknown, expired or answered.
 */
export function authorizePageHandler(ctx: OAuthRouteContext): OAuthHandler {
  const { store, replies } = ctx;
  return async (req, reply) => {
    const query = req.query as Record<string, string | string[] | undefined>;
    const token = await pendingRequestToken(store, firstOf(query.oauth_token), ctx.clock());
    if (typeof token === 'string') return replies.html(reply, 400, messagePage('Cannot authorize', token));
    return replies.html(
      reply,
      200,
      authorizePage({
        consumerName: await consumerNameOf(store, token),
        oauthToken: token.token,
        oauthCallback: firstOf(query.oauth_callback),
        formToken: formTokenFor(token),
        action: req.url.split('?')[0]!,
      }),
    );
  };
}
