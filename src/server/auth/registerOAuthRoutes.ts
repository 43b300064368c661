import type { FastifyInstance } from 'fastify';
import type { AuthStore } from '../store/Store.js';
import { DEFAULT_AUTHENTICATOR_OPTIONS } from './createAuthenticator.js';
import { accessTokenHandler } from './oauth/accessTokenHandler.js';
import { authorizeFormHandler } from './oauth/authorizeFormHandler.js';
import { authorizePageHandler } from './oauth/authorizePageHandler.js';
import type { OAuthHandler } from './oauth/OAuthHandler.js';
import { oauthReplies, URLENCODED } from './oauth/oauthReplies.js';
import type { OAuthRouteContext } from './oauth/OAuthRouteContext.js';
import { requestTokenHandler } from './oauth/requestTokenHandler.js';
import { DEFAULT_SIGN_IN_LOCKOUT_OPTIONS, SignInLockout } from './oauth/SignInLockout.js';
import { formFields } from './toAuthRequest.js';

/** Dependencies and options of {@link registerOAuthRoutes}. */
export interface OAuthRoutesDeps {
  /** The auth store: consumers, users, tokens, nonces. */
  store: AuthStore;
  /** Unix seconds now. Default `Date.now() / 1000`. */
  clock?: () => number;
  /** Accepted distance of `oauth_timestamp` from the clock, seconds. Default 300. */
  timestampSkewSeconds?: number;
  /** How long a request token may wait for authorization and exchange, seconds. Default 3600. */
  requestTokenTtlSeconds?: number;
  /**
   * `scheme://host[:port]` clients use to reach the server, when a proxy in front of it changes
   * scheme or host: OAuth signatures cover them. Default: taken from each request.
   */
  publicUrl?: string | undefined;
  /** Realm named in `WWW-Authenticate: OAuth realm="…"`. Default "timetric". */
  realm?: string;
  /**
   * Sign-in attempts for one user name on the authorize page, without a right password among them,
   * before it refuses that name (`429`) for `signInLockoutSeconds` from the first of them. An
   * attempt counts as it arrives, before its password is checked, so a concurrent burst gets at
   * most this many checks; a right password resets the count. Counted per server instance. Default 10.
   */
  maxSignInFailures?: number;
  /** See `maxSignInFailures`. Default 900 (15 minutes). */
  signInLockoutSeconds?: number;
}

/** Defaults of {@link OAuthRoutesDeps}: the authenticator's clock and skew, request tokens for an hour, realm `timetric`, 10 sign-in attempts per 15 minutes. */
export const DEFAULT_OAUTH_ROUTES_OPTIONS = {
  clock: DEFAULT_AUTHENTICATOR_OPTIONS.clock,
  timestampSkewSeconds: DEFAULT_AUTHENTICATOR_OPTIONS.timestampSkewSeconds,
  requestTokenTtlSeconds: 3600,
  publicUrl: undefined,
  realm: 'timetric',
  maxSignInFailures: DEFAULT_SIGN_IN_LOCKOUT_OPTIONS.maxFailures,
  signInLockoutSeconds: DEFAULT_SIGN_IN_LOCKOUT_OPTIONS.lockoutSeconds,
} satisfies Required<Omit<OAuthRoutesDeps, 'store'>>;

/**
 * Mounts the OAuth 1.0/1.0a provider (RFC 5849, plus the OAuth 1.0 flow of the historical Timetric
 * client) on a Fastify app:
 *
 * - `GET|POST /oauth/request_token/` — signed with the consumer secret; answers
 *   `oauth_token=…&oauth_token_secret=…` (plus `oauth_callback_confirmed=true` for a 1.0a
 *   `oauth_callback`). Request tokens expire after `requestTokenTtlSeconds`.
 * - `GET /oauth/authorize/?oauth_token=…[&oauth_callback=URL]` — an HTML form (user name, password,
 *   "authorize access"); its `POST` checks the password and the box, then redirects to the callback
 *   with `oauth_token` (and `oauth_verifier` for 1.0a) or shows a page saying the app is authorized.
 *   After `maxSignInFailures` attempts for one user name without the right password (counted as
 *   they arrive, so concurrent guesses are counted too), that name is refused (`429`) for
 *   `signInLockoutSeconds`.
 * - `GET|POST /oauth/access_token/` — signed with consumer + request-token secret; checks the 1.0a
 *   verifier when the token was issued with a callback; exchanges the request token (once) for an
 *   access token of the authorizing user.
 *
 * Each path works with and without its trailing slash. Bad credentials answer 401 with
 * `WWW-Authenticate: OAuth realm="…"` and a one-line text body. Urlencoded bodies are parsed with the
 * app's parser when it has one, else a small one is added inside this plugin's scope.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { registerOAuthRoutes } from 'timetric/server';
 * const app = Fastify();
 * registerOAuthRoutes(app, { store });
 * ```
 * @param app - The Fastify instance (or an encapsulated scope) to add the routes to.
 * @param deps - The auth store and options, see {@link OAuthRoutesDeps}.
 */
export function registerOAuthRoutes(app: FastifyInstance, deps: OAuthRoutesDeps): void {
  // An encapsulated scope: the urlencoded parser added below (when the app has none yet) stays
  // here, so the app may still register its own (e.g. @fastify/formbody) later.
  void app.register((scope, _opts, done) => {
    try {
      oauthRoutes(scope, deps);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}

function oauthRoutes(app: FastifyInstance, deps: OAuthRoutesDeps): void {
  const o = { ...DEFAULT_OAUTH_ROUTES_OPTIONS, ...deps };
  const ctx: OAuthRouteContext = {
    store: o.store,
    clock: o.clock,
    timestampSkewSeconds: o.timestampSkewSeconds,
    requestTokenTtlSeconds: o.requestTokenTtlSeconds,
    publicUrl: o.publicUrl,
    replies: oauthReplies(o.realm),
    lockout: new SignInLockout({ maxFailures: o.maxSignInFailures, lockoutSeconds: o.signInLockoutSeconds, clock: o.clock }),
  };
  if (!app.hasContentTypeParser(URLENCODED)) {
    app.addContentTypeParser(URLENCODED, { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
      done(null, formFields(body));
    });
  }
  const route = (methods: ('GET' | 'POST')[], path: string, handler: OAuthHandler): void => {
    app.route({ method: methods, url: `${path}/`, handler });
    // The slash-less form too, unless the router already treats both alike (ignoreTrailingSlash).
    if (!app.hasRoute({ method: methods[0]!, url: path })) app.route({ method: methods, url: path, handler });
  };
  route(['GET', 'POST'], '/oauth/request_token', requestTokenHandler(ctx));
  route(['GET'], '/oauth/authorize', authorizePageHandler(ctx));
  route(['POST'], '/oauth/authorize', authorizeFormHandler(ctx));
  route(['GET', 'POST'], '/oauth/access_token', accessTokenHandler(ctx));
}
