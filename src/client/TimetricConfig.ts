/**
 * Credentials, with the keys of the historical Python client. Also accepted: `oauth_key`,
 * `access_key` and `access_token` for `oauth_token`, `access_secret` for `oauth_secret`, and the
 * historical README's typo `apitoken-secret`. After `getAccessToken()` the client writes
 * `oauth_token` / `oauth_secret` back into this object so the app can persist it.
 */
export interface TimetricConfig {
  /**
   * `'apitoken'` (HTTP Basic with an API token) or `'oauth'` (OAuth 1.0 HMAC-SHA1), as the
   * historical client; or `'anonymous'` (this package's extension: no credentials at all, for
   * reading public series, e.g. from a dashboard page that must not carry a token). Default `'oauth'`.
   */
  authtype?: 'apitoken' | 'oauth' | 'anonymous';
  apitoken_key?: string;
  apitoken_secret?: string;
  'apitoken-secret'?: string;
  consumer_key?: string;
  consumer_secret?: string;
  /** The OAuth access token, once the three-legged dance is done. */
  oauth_token?: string;
  oauth_secret?: string;
  oauth_key?: string;
  access_key?: string;
  access_token?: string;
  access_secret?: string;
  [other: string]: unknown;
}
