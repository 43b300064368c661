import OAuth from 'oauth-1.0a';

/** Request parameters as decoded text; a repeated parameter is an array. */
export type OAuthParams = Record<string, string | readonly string[]>;

// Only used for its RFC 5849 parameter normalisation and encoding; it never signs here.
const lib = new OAuth({
  consumer: { key: '', secret: '' },
  signature_method: 'HMAC-SHA1',
  hash_function: () => '',
  last_ampersand: true,
});

/** RFC 5849 §3.6 percent-encoding. */
export function oauthPercentEncode(text: string): string {
  return lib.percentEncode(text);
}

/**
 * The base string URI of RFC 5849 §3.4.1.2: scheme and host in lower case, default ports dropped,
 * no query or fragment.
 */
export function oauthBaseUrl(url: string | URL): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`.replace(/^[^/]+:\/\/[^/]+/, (m) => m.toLowerCase());
}

/**
 * The signature base string of RFC 5849 §3.4.1: method, base URL, and every parameter — the
 * URL's query (decoded here), plus `params` (OAuth protocol parameters without `oauth_signature`,
 * and urlencoded body fields) — encoded, sorted by name then value, and joined. Parameter
 * normalisation and encoding are those of the `oauth-1.0a` package, fed decoded values (it does
 * not decode query strings itself).
 */
export function oauthBaseString(method: string, url: string | URL, params: OAuthParams): string {
  const u = new URL(url);
  const data: Record<string, string[]> = {};
  const add = (key: string, value: string): void => {
    (data[key] ??= []).push(value);
  };
  u.searchParams.forEach((value, key) => add(key, value));
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string') add(key, value);
    else for (const v of value) add(key, v);
  }
  const flat: Record<string, string | string[]> = {};
  for (const [key, values] of Object.entries(data)) flat[key] = values.length === 1 ? values[0]! : values;
  return lib.getBaseString({ url: oauthBaseUrl(u), method: method.toUpperCase(), data: flat }, {} as OAuth.Data);
}

/** The HMAC-SHA1 key of RFC 5849 §3.4.2: encoded consumer secret `&` encoded token secret. */
export function oauthSigningKey(consumerSecret: string, tokenSecret = ''): string {
  return `${oauthPercentEncode(consumerSecret)}&${oauthPercentEncode(tokenSecret)}`;
}
