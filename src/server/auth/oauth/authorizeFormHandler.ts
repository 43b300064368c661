import type { FastifyReply } from 'fastify';
import { authorizePage, messagePage } from '../authorizePage.js';
import { isUserName } from '../isUserName.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { mintKey, mintSecret, safeEqual } from '../secrets.js';
import { formFields } from '../toAuthRequest.js';
import { consumerNameOf } from './consumerNameOf.js';
import { formTokenFor } from './formTokenFor.js';
import { isHttpUrl } from './isHttpUrl.js';
import { firstOf, type OAuthHandler } from './OAuthHandler.js';
import type { OAuthRouteContext } from './OAuthRouteContext.js';
import { pendingRequestToken } from './pendingRequestToken.js';

/** Appends `params` to the callback's existing query (RFC 5849 §2.2). */
function withParams(callback: string, params: Record<string, string>): string {
  const u = new URL(callback);
  for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  return u.href;
}

let dummyHash: Promise<string> | undefined;

/**
 * `POST /oauth/authorize/`: checks the form token, the lockout, the password and the box, then
 * records the user on the request token and redirects (303) to the callback with `oauth_token`
 * (and `oauth_verifier` for 1.0a), or shows a page saying the application is authorized (with the
 * verifier to type in when there is no callback). A wrong name or password shows the form again
 * (401); a locked name answers 429 with `Retry-After`.
 */
export function authorizeFormHandler(ctx: OAuthRouteContext): OAuthHandler {
  const { store, replies, lockout } = ctx;
  return async (req, reply) => {
    const fields = formFields(req.body) ?? {};
    const token = await pendingRequestToken(store, firstOf(fields.oauth_token), ctx.clock());
    if (typeof token === 'string') return replies.html(reply, 400, messagePage('Cannot authorize', token));
    if (!safeEqual(firstOf(fields.form_token) ?? '', formTokenFor(token))) {
      return replies.html(reply, 400, messagePage('Cannot authorize', 'This form was not issued for this authorization request: open the link again.'));
    }
    const callback = firstOf(fields.oauth_callback);
    const userName = firstOf(fields.user) ?? '';
    const again = async (status: number, error: string): Promise<FastifyReply> =>
      replies.html(
        reply,
        status,
        authorizePage({
          consumerName: await consumerNameOf(store, token),
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
    const wait = lockout.lockedFor(userName);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      return again(429, `Too many wrong passwords for this user name: try again in ${Math.ceil(wait / 60)} minute(s).`);
    }
    lockout.attempt(userName);
    const user = await store.getUserByName(userName);
    // An unknown user costs one scrypt too, so timing does not tell which names exist.
    const passwordOk = await verifyPassword(firstOf(fields.password) ?? '', user?.passwordHash ?? (await (dummyHash ??= hashPassword(mintSecret()))));
    if (!user || !passwordOk) return again(401, 'Wrong user name or password.');
    lockout.succeeded(userName);
    if (firstOf(fields.authorize) === undefined) return again(400, 'Tick "authorize access" to let the application in, or close this page.');

    const verifier = mintKey();
    await store.updateOAuthToken(token.token, { userId: user.id, verifier });
    const is10a = token.callback !== null;
    const params: Record<string, string> = is10a ? { oauth_token: token.token, oauth_verifier: verifier } : { oauth_token: token.token };
    const target = [is10a ? token.callback : undefined, callback, (await store.getConsumer(token.consumerKey))?.callback ?? undefined].find(
      (c): c is string => c !== undefined && c !== null && c !== 'oob' && isHttpUrl(c),
    );
    if (target !== undefined) return reply.code(303).header('cache-control', 'no-store').redirect(withParams(target, params), 303);
    const name = await consumerNameOf(store, token);
    return replies.html(
      reply,
      200,
      messagePage(
        'Access authorized',
        is10a
          ? `${name} may now access your series. Give the application this verification code:`
          : `${name} may now access your series. You can close this page and return to the application.`,
        is10a ? verifier : undefined,
      ),
    );
  };
}
