import type { AuthStore } from '../../store/Store.js';
import type { OAuthReplies } from './oauthReplies.js';
import type { SignInLockout } from './SignInLockout.js';

/** What every OAuth endpoint handler works with: the store, the settings resolved once, the replies and the lockout. */
export interface OAuthRouteContext {
  store: AuthStore;
  /** Unix seconds now. */
  clock: () => number;
  /** Accepted distance of `oauth_timestamp` from the clock, seconds. */
  timestampSkewSeconds: number;
  /** Lifetime of a request token, seconds. */
  requestTokenTtlSeconds: number;
  /** `scheme://host[:port]` clients sign against, when a proxy changes them. */
  publicUrl: string | undefined;
  replies: OAuthReplies;
  lockout: SignInLockout;
}
