import { oauthBaseString, oauthPercentEncode, oauthSigningKey, type OAuthParams } from '../codec/oauthBaseString.js';

/** What {@link signOAuth} signs with. */
export interface OAuthCredentials {
  consumerKey: string;
  consumerSecret: string;
  token?: string | undefined;
  tokenSecret?: string | undefined;
}

const encoder = new TextEncoder();

function base64(bytes: ArrayBuffer): string {
  let text = '';
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text);
}

function nonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Signs a request with OAuth 1.0 HMAC-SHA1 and returns its `Authorization: OAuth …` header value.
 * The base string comes from the shared RFC 5849 normalisation (oauth-1.0a); the HMAC is computed
 * asynchronously with WebCrypto, so it runs the same in browsers and Node.
 *
 * @param method - HTTP method.
 * @param url - Full URL, query included (the query is part of the signature).
 * @param form - Urlencoded body fields, if any (they are part of the signature).
 * @param creds - Consumer and (optional) token.
 * @param extra - More protocol parameters (`oauth_callback`, `oauth_verifier`), and fixed
 *   `oauth_nonce` / `oauth_timestamp` for reproducible tests; `undefined` leaves a parameter out
 *   (`oauth_version` is optional in RFC 5849).
 */
export async function signOAuth(
  method: string,
  url: string,
  form: OAuthParams | undefined,
  creds: OAuthCredentials,
  extra: Record<string, string | undefined> = {},
): Promise<string> {
  const all: Record<string, string | undefined> = {
    oauth_consumer_key: creds.consumerKey,
    oauth_nonce: nonce(),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
    ...(creds.token ? { oauth_token: creds.token } : {}),
    ...extra,
  };
  const oauth = Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
  const base = oauthBaseString(method, url, { ...form, ...oauth });
  const key = await crypto.subtle.importKey('raw', encoder.encode(oauthSigningKey(creds.consumerSecret, creds.tokenSecret ?? '')), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  oauth.oauth_signature = base64(await crypto.subtle.sign('HMAC', key, encoder.encode(base)));
  return `OAuth realm="", ${Object.entries(oauth)
    .map(([k, v]) => `${oauthPercentEncode(k)}="${oauthPercentEncode(v)}"`)
    .join(', ')}`;
}
