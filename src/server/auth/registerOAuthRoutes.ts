import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthStore, OAuthTokenRecord } from '../store/Store.js';
import { AuthFailure } from './AuthFailure.js';
import { hasControlCharacter } from './hasControlCharacter.js';
import { isUserName } from './isUserName.js';
import { DEFAULT_AUTHENTICATOR_OPTIONS } from './createAuthenticator.js';
import { authorizePage, messagePage } from './authorizePage.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { mintKey, mintSecret, safeEqual } from './secrets.js';
import { formFields, toAuthRequest } from './toAuthRequest.js';
import { verifyOAuthRequest } from './verifyOAuthRequest.js';

/** Dependencies and options of {@link registerOAuthRoutes}. */
export interface OAuthRoutesDeps {
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

const URLENCODED = 'application/x-www-form-urlencoded';

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** An OAuth callback we are willing to redirect a browser to. */
function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Appends `params` to the callback's existing query (RFC 5849 §2.2). */
function withParams(callback: string, params: Record<string, string>): string {
  const u = new URL(callback);
  for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  return u.href;
}

/**
 * The hidden field binding an authorize form to its request token: an HMAC keyed with the request
 * token's secret, which only this server and the consumer know. It needs no server state, so it
 * works across several instances; and the form needs the user's password anyway, so a forged post
 * from another site cannot authorize anything.
 */
function formTokenFor(token: OAuthTokenRecord): string {
  return createHmac('sha256', token.secret).update(`authorize:${token.token}`).digest('base64url');
}

let dummyHash: Promise<string> | undefined;

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
  const { store } = deps;
  const clock = deps.clock ?? DEFAULT_AUTHENTICATOR_OPTIONS.clock;
  const skew = deps.timestampSkewSeconds ?? DEFAULT_AUTHENTICATOR_OPTIONS.timestampSkewSeconds;
  const ttl = deps.requestTokenTtlSeconds ?? 3600;
  const realm = (deps.realm ?? 'timetric').replace(/["\\]/g, '');
  const maxFailures = deps.maxSignInFailures ?? 10;
  const lockout = deps.signInLockoutSeconds ?? 900;
  // Sign-in attempts by user name not yet followed by a success: slows password guessing on the
  // authorize page.
  const failures = new Map<string, { count: number; since: number }>();
  const lockedFor = (name: string): number => {
    const f = failures.get(name);
    if (!f) return 0;
    const left = f.since + lockout - clock();
    if (left <= 0) {
      failures.delete(name);
      return 0;
    }
    return f.count >= maxFailures ? Math.ceil(left) : 0;
  };
  // Counted when the attempt starts, before its password check is awaited: counting on failure let
  // a concurrent burst be checked in full (200 guesses at once all checked, none refused).
  const recordAttempt = (name: string): void => {
    if (failures.size > 10_000) for (const [k, f] of failures) if (f.since + lockout < clock()) failures.delete(k);
    // Still full of live entries (many names at once): forget the oldest, so the table stays bounded.
    for (const k of failures.keys()) {
      if (failures.size <= 10_000) break;
      failures.delete(k);
    }
    const f = failures.get(name);
    if (f) f.count++;
    else failures.set(name, { count: 1, since: clock() });
  };

  if (!app.hasContentTypeParser(URLENCODED)) {
    app.addContentTypeParser(URLENCODED, { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => {
      done(null, formFields(body));
    });
  }

  function fail(reply: FastifyReply, status: number, message: string): FastifyReply {
    if (status === 401) reply.header('www-authenticate', `OAuth realm="${realm}"`);
    return reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`${message}\n`);
  }

  function html(reply: FastifyReply, status: number, body: string): FastifyReply {
    // No framing (clickjacking of the authorize button), no caching of pages carrying tokens. No
    // CSP form-action: browsers apply it to the redirect after the post, i.e. to the app's callback.
    return reply
      .code(status)
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'DENY')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(body);
  }

  function formEncoded(reply: FastifyReply, params: Record<string, string>): FastifyReply {
    return reply.header('cache-control', 'no-store').type(URLENCODED).send(new URLSearchParams(params).toString());
  }

  const route = (methods: ('GET' | 'POST')[], path: string, handler: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>): void => {
    app.route({ method: methods, url: `${path}/`, handler });
    // The slash-less form too, unless the router already treats both alike (ignoreTrailingSlash).
    if (!app.hasRoute({ method: methods[0]!, url: path })) app.route({ method: methods, url: path, handler });
  };

  route(['GET', 'POST'], '/oauth/request_token', async (req, reply) => {
    try {
      const { consumer, oauth } = await verifyOAuthRequest(store, toAuthRequest(req, deps.publicUrl), { clock, timestampSkewSeconds: skew, token: 'none' });
      const callback = oauth.oauth_callback;
      if (callback !== undefined && callback !== 'oob' && !isHttpUrl(callback)) {
        return fail(reply, 400, 'oauth_callback must be an absolute http(s) URL or "oob"');
      }
      const token = await store.saveOAuthToken({
        token: mintKey(),
        secret: mintSecret(),
        consumerKey: consumer.key,
        kind: 'request',
        userId: null,
        callback: callback ?? null,
        verifier: null,
        expiresAt: Math.floor(clock()) + ttl,
      });
      return formEncoded(reply, {
        oauth_token: token.token,
        oauth_token_secret: token.secret,
        ...(callback === undefined ? {} : { oauth_callback_confirmed: 'true' }),
      });
    } catch (err) {
      if (err instanceof AuthFailure) return fail(reply, 401, err.message);
      throw err;
    }
  });

  /** The request token a browser is authorizing, if it can still be authorized. */
  async function pendingToken(token: string | undefined): Promise<OAuthTokenRecord | string> {
    if (!token) return 'The link is missing its oauth_token: ask the application to start again.';
    if (hasControlCharacter(token)) return 'This authorization request is unknown or has expired: ask the application to start again.';
    const record = await store.getOAuthToken(token);
    if (!record || record.kind !== 'request' || (record.expiresAt !== null && record.expiresAt < clock())) {
      return 'This authorization request is unknown or has expired: ask the application to start again.';
    }
    if (record.userId !== null) return 'This authorization request has been answered already.';
    return record;
  }

  async function consumerName(token: OAuthTokenRecord): Promise<string> {
    return (await store.getConsumer(token.consumerKey))?.name ?? token.consumerKey;
  }

  route(['GET'], '/oauth/authorize', async (req, reply) => {
    const query = req.query as Record<string, string | string[] | undefined>;
    const token = await pendingToken(one(query.oauth_token));
    if (typeof token === 'string') return html(reply, 400, messagePage('Cannot authorize', token));
    const callback = one(query.oauth_callback);
    return html(
      reply,
      200,
      authorizePage({
        consumerName: await consumerName(token),
        oauthToken: token.token,
        oauthCallback: callback,
        formToken: formTokenFor(token),
        action: req.url.split('?')[0]!,
      }),
    );
  });

  route(['POST'], '/oauth/authorize', async (req, reply) => {
    const fields = formFields(req.body) ?? {};
    const token = await pendingToken(one(fields.oauth_token));
    if (typeof token === 'string') return html(reply, 400, messagePage('Cannot authorize', token));
    const formToken = one(fields.form_token) ?? '';
    if (!safeEqual(formToken, formTokenFor(token))) {
      return html(reply, 400, messagePage('Cannot authorize', 'This form was not issued for this authorization request: open the link again.'));
    }
    const callback = one(fields.oauth_callback);
    const userName = one(fields.user) ?? '';
    const again = async (status: number, error: string): Promise<FastifyReply> =>
      html(
        reply,
        status,
        authorizePage({
          consumerName: await consumerName(token),
          oauthToken: token.token,
          oauthCallback: callback,
          formToken: formTokenFor(token),
          userName,
          error,
          action: req.url.split('?')[0]!,
        }),
      );

    // A name no user can have: refused before the lockout table, the lookup and the password hash,
    // so a flood of made-up names (up to the form's megabyte each) costs neither memory nor scrypt.
    if (!isUserName(userName)) return again(401, 'Wrong user name or password.');
    const wait = lockedFor(userName);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return again(429, `Too many wrong passwords for this user name: try again in ${Math.ceil(wait / 60)} minute(s).`);
    }
    recordAttempt(userName);
    const user = await store.getUserByName(userName);
    // An unknown user costs one scrypt too, so timing does not tell which names exist.
    const passwordOk = await verifyPassword(one(fields.password) ?? '', user?.passwordHash ?? (await (dummyHash ??= hashPassword(mintSecret()))));
    if (!user || !passwordOk) return again(401, 'Wrong user name or password.');
    failures.delete(userName);
    if (one(fields.authorize) === undefined) return again(400, 'Tick "authorize access" to let the application in, or close this page.');

    const verifier = mintKey();
    await store.updateOAuthToken(token.token, { userId: user.id, verifier });
    const is10a = token.callback !== null;
    const params: Record<string, string> = is10a ? { oauth_token: token.token, oauth_verifier: verifier } : { oauth_token: token.token };
    const target = [is10a ? token.callback : undefined, callback, (await store.getConsumer(token.consumerKey))?.callback ?? undefined].find(
      (c): c is string => c !== undefined && c !== null && c !== 'oob' && isHttpUrl(c),
    );
    if (target !== undefined) return reply.code(303).header('cache-control', 'no-store').redirect(withParams(target, params), 303);
    return html(
      reply,
      200,
      messagePage(
        'Access authorized',
        is10a
          ? `${await consumerName(token)} may now access your series. Give the application this verification code:`
          : `${await consumerName(token)} may now access your series. You can close this page and return to the application.`,
        is10a ? verifier : undefined,
      ),
    );
  });

  route(['GET', 'POST'], '/oauth/access_token', async (req, reply) => {
    try {
      const { consumer, token, oauth } = await verifyOAuthRequest(store, toAuthRequest(req, deps.publicUrl), {
        clock,
        timestampSkewSeconds: skew,
        token: 'request',
      });
      if (!token) throw new AuthFailure('oauth_token (the request token) is missing');
      if (token.userId === null) throw new AuthFailure('the request token has not been authorized by a user yet');
      const verifier = oauth.oauth_verifier;
      // OAuth 1.0a (callback given at request-token time) requires the verifier; plain 1.0 has none,
      // but one that is sent must still be right.
      if (token.callback !== null && verifier === undefined) throw new AuthFailure('oauth_verifier is missing (OAuth 1.0a)');
      if (verifier !== undefined && !safeEqual(verifier, token.verifier ?? '')) throw new AuthFailure('wrong oauth_verifier');
      // Exchanged once, even by two racing requests (on several instances): the nonce table's
      // unique key serves as the lock, atomically on every store.
      const first = await store.useNonce(consumer.key, token.token, '\u0000exchange', Math.floor(clock()), 2 * skew);
      if (!first) throw new AuthFailure('this request token has been exchanged already');
      await store.deleteOAuthToken(token.token);
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
      return formEncoded(reply, { oauth_token: access.token, oauth_token_secret: access.secret });
    } catch (err) {
      if (err instanceof AuthFailure) return fail(reply, 401, err.message);
      throw err;
    }
  });
}
