import type { AuthStore } from '../store/Store.js';
import { AuthFailure } from './AuthFailure.js';
import type { Authenticator, AuthRequest, Principal } from './Authenticator.js';
import { hashSecret, safeEqual } from './secrets.js';
import { hasOAuthParams, verifyOAuthRequest } from './verifyOAuthRequest.js';

/** Options of {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /** Unix seconds now (default: the real clock). */
  clock?: () => number;
  /** How far an OAuth timestamp may be from the clock, in seconds (default 300). */
  timestampSkewSeconds?: number;
}

/**
 * Authenticates requests by API token (`Authorization: Basic base64(key:secret)`) or by OAuth
 * 1.0/1.0a HMAC-SHA1 with an access token. No credentials → `null` (anonymous).
 */
export function createAuthenticator(store: AuthStore, options: AuthenticatorOptions = {}): Authenticator {
  const clock = options.clock ?? (() => Date.now() / 1000);
  const skewSeconds = options.timestampSkewSeconds ?? 300;

  async function viaToken(header: string): Promise<Principal> {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new AuthFailure('Basic credentials must be API token key:secret');
    const key = decoded.slice(0, colon);
    const token = await store.getApiToken(key);
    if (!token || token.revokedAt !== null || !safeEqual(token.secretHash, hashSecret(decoded.slice(colon + 1)))) {
      throw new AuthFailure('unknown, revoked or wrong API token');
    }
    const user = await store.getUserById(token.userId);
    if (!user) throw new AuthFailure('the API token belongs to no user');
    return { userId: user.id, userName: user.name, via: 'apitoken' };
  }

  return {
    async authenticate(req: AuthRequest): Promise<Principal | null> {
      const raw = req.headers.authorization;
      const header = Array.isArray(raw) ? raw[0] : raw;
      if (header && /^Basic\s/i.test(header)) return viaToken(header);
      if (!hasOAuthParams(req)) {
        if (header) throw new AuthFailure('unsupported Authorization scheme: use Basic (API token) or OAuth');
        return null;
      }
      const { token } = await verifyOAuthRequest(req, 'access', { store, now: clock(), skewSeconds });
      const user = token?.userId == null ? undefined : await store.getUserById(token.userId);
      if (!user) throw new AuthFailure('the OAuth access token belongs to no user');
      return { userId: user.id, userName: user.name, via: 'oauth' };
    },
  };
}
