import type { AuthStore } from '../store/Store.js';
import { AuthFailure } from './AuthFailure.js';
import { hasControlCharacter } from './hasControlCharacter.js';
import type { AuthRequest, Authenticator, Principal } from './Authenticator.js';
import { hasOAuthCredentials, verifyOAuthRequest } from './verifyOAuthRequest.js';
import { hashSecret, safeEqual } from './secrets.js';

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /** The server clock in unix seconds, for OAuth timestamps and token expiry. Default: `Date.now() / 1000`. */
  clock?: () => number;
  /**
   * How far (seconds, either way) an OAuth `oauth_timestamp` may be from the clock; also how long
   * nonces are remembered. Default 300.
   */
  timestampSkewSeconds?: number;
}

/** Defaults of {@link AuthenticatorOptions}. */
export const DEFAULT_AUTHENTICATOR_OPTIONS = {
  clock: (): number => Date.now() / 1000,
  timestampSkewSeconds: 300,
} as const satisfies Required<AuthenticatorOptions>;

const OAUTH_ENDPOINT = /^\/oauth\/(request_token|authorize|access_token)\/?$/;

function pathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end < 0 ? url.slice(start) : url.slice(start, start + end);
}

function headerValue(headers: AuthRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Creates the authenticator the HTTP layer asks about every request.
 *
 * - `Authorization: Basic base64(KEY:SECRET)` → an API token: the key is looked up, the SHA-256 of
 *   the secret compared in constant time; unknown, revoked or wrong → {@link AuthFailure}.
 * - OAuth 1.0/1.0a HMAC-SHA1 (or PLAINTEXT) with its parameters in the `Authorization: OAuth` header,
 *   the query string or the urlencoded body → checked against the consumer secret and the access
 *   token's secret, the timestamp against the clock, the nonce against `store.useNonce`.
 * - No credentials at all → `null` (anonymous). OAuth-signed requests to the OAuth endpoints
 *   themselves (`/oauth/request_token/`, `/oauth/access_token/`) are `null` too: those routes check
 *   their signatures with the request-token rules (see registerOAuthRoutes).
 * - `stillValid(principals)`: whether the API token or OAuth access token behind each principal it
 *   returned still holds (not revoked, withdrawn or expired), one lookup per distinct credential;
 *   open event streams ask it twice per heartbeat and end when it says no.
 *
 * @example
 * ```ts
 * import { createAuthenticator } from 'timetric/server';
 * const auth = createAuthenticator(store);
 * const who = await auth.authenticate({ method: 'GET', url: 'http://localhost:8080/series/x/', headers });
 * ```
 * @param store - Where users, tokens, consumers and nonces live.
 * @param options - See {@link AuthenticatorOptions}.
 * @returns An {@link Authenticator}.
 */
export function createAuthenticator(store: AuthStore, options: AuthenticatorOptions = {}): Authenticator {
  const clock = options.clock ?? DEFAULT_AUTHENTICATOR_OPTIONS.clock;
  const skew = options.timestampSkewSeconds ?? DEFAULT_AUTHENTICATOR_OPTIONS.timestampSkewSeconds;
  // User names never change and users are never deleted: remembering them saves a query per request.
  const userNames = new Map<number, string>();
  // Which credential proved each principal (the API token key or the OAuth access token), for
  // stillValid; kept beside the principal rather than in it, so a principal stays what it was.
  const credentials = new WeakMap<Principal, string>();

  async function principal(userId: number, via: Principal['via'], credential: string): Promise<Principal> {
    let userName = userNames.get(userId);
    if (userName === undefined) {
      const user = await store.getUserById(userId);
      if (!user) throw new AuthFailure('the user of these credentials no longer exists');
      userName = user.name;
      userNames.set(userId, userName);
    }
    const who: Principal = { userId, userName, via };
    credentials.set(who, `${via} ${credential}`);
    return who;
  }

  /** Whether the credential (`apitoken KEY` or `oauth TOKEN`) still proves `userId`. */
  async function current(credential: string, userId: number): Promise<boolean> {
    const space = credential.indexOf(' ');
    const value = credential.slice(space + 1);
    if (credential.startsWith('apitoken ')) {
      const token = await store.getApiToken(value);
      return token !== undefined && token.revokedAt === null && token.userId === userId;
    }
    const token = await store.getOAuthToken(value);
    return token !== undefined && token.kind === 'access' && token.userId === userId && (token.expiresAt === null || token.expiresAt > clock());
  }

  async function basic(encoded: string): Promise<Principal> {
    const decoded = Buffer.from(encoded.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new AuthFailure('malformed Basic credentials (expected base64 of KEY:SECRET)');
    const key = decoded.slice(0, colon);
    // The format is public, so refusing it early says nothing about valid keys.
    if (hasControlCharacter(key)) throw new AuthFailure('malformed Basic credentials (a control character in the key)');
    const secret = decoded.slice(colon + 1);
    const token = await store.getApiToken(key);
    // Hash even for an unknown key, so a miss costs the same as a wrong secret.
    const presented = hashSecret(secret);
    if (!token || !safeEqual(token.secretHash, presented)) throw new AuthFailure('unknown API token or wrong secret');
    if (token.revokedAt !== null) throw new AuthFailure('this API token has been revoked');
    return principal(token.userId, 'apitoken', key);
  }

  return {
    async authenticate(request: AuthRequest): Promise<Principal | null> {
      const authorization = headerValue(request.headers, 'authorization')?.trim();
      if (authorization) {
        const space = authorization.indexOf(' ');
        const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
        if (scheme === 'basic') return basic(authorization.slice(space + 1));
        if (scheme !== 'oauth') throw new AuthFailure(`unsupported authorization scheme "${scheme}" (use Basic or OAuth)`);
      } else if (!hasOAuthCredentials(request)) {
        return null;
      }
      // The OAuth endpoints check their own signatures (with request tokens, or none): to a
      // server-wide authentication hook, requests to them are anonymous.
      if (OAUTH_ENDPOINT.test(pathOf(request.url))) return null;
      const verified = await verifyOAuthRequest(store, request, { clock, timestampSkewSeconds: skew, token: 'access' });
      if (verified.token?.userId == null) throw new AuthFailure('OAuth requests need an authorized access token');
      return principal(verified.token.userId, 'oauth', verified.token.token);
    },
    async stillValid(principals: readonly Principal[]): Promise<boolean[]> {
      const checks = new Map<string, Promise<boolean>>();
      return Promise.all(
        principals.map((who) => {
          const credential = credentials.get(who);
          if (credential === undefined) return Promise.resolve(true);
          const key = `${who.userId} ${credential}`;
          let check = checks.get(key);
          if (!check) {
            check = current(credential, who.userId).catch(() => true);
            checks.set(key, check);
          }
          return check;
        }),
      );
    },
  };
}
