import { createHmac } from 'node:crypto';
import type { AuthStore, ConsumerRecord, OAuthTokenRecord } from '../store/Store.js';
import { AuthFailure } from './AuthFailure.js';
import type { AuthRequest } from './Authenticator.js';
import { oauthBaseString, oauthSigningKey, type OAuthParams } from '../../codec/oauthBaseString.js';
import { hasControlCharacter } from './hasControlCharacter.js';
import { parseOAuthHeader } from './parseOAuthHeader.js';
import { safeEqual } from './secrets.js';

/** Which token an OAuth request must carry, by endpoint. */
export type OAuthTokenExpectation =
  /** `/oauth/request_token/`: none (signed with the consumer secret and an empty token secret). */
  | 'none'
  /** `/oauth/access_token/`: an unexpired request token of the same consumer. */
  | 'request'
  /** Everything else: an access token of the same consumer (or none; the caller decides). */
  | 'access';

/** Options of {@link verifyOAuthRequest}. */
export interface VerifyOAuthOptions {
  /** Unix seconds. */
  clock: () => number;
  /** Accepted distance of `oauth_timestamp` from the clock, seconds. */
  timestampSkewSeconds: number;
  token: OAuthTokenExpectation;
}

/** A request whose OAuth signature, timestamp and nonce checked out. */
export interface VerifiedOAuthRequest {
  consumer: ConsumerRecord;
  /** The token named by `oauth_token`, when there is one. */
  token: OAuthTokenRecord | undefined;
  /** The OAuth protocol parameters (`oauth_*`), decoded, without the signature. */
  oauth: Record<string, string>;
}

type Pair = readonly [string, string];

function headerValue(headers: AuthRequest['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function fieldPairs(fields: Record<string, string | string[]> | undefined): Pair[] {
  const pairs: Pair[] = [];
  for (const [name, value] of Object.entries(fields ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v]);
  }
  return pairs;
}

function queryPairs(url: string): Pair[] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const hash = url.indexOf('#', q);
  return [...new URLSearchParams(url.slice(q + 1, hash < 0 ? undefined : hash))];
}

/**
 * Whether a request without an `Authorization` header carries OAuth parameters in its query string or
 * body (the historical clients ≤ 1.2 signed that way).
 *
 * @param request - The request.
 * @returns True when `oauth_consumer_key` or `oauth_signature` is among its parameters.
 */
export function hasOAuthCredentials(request: AuthRequest): boolean {
  const has = (name: string): boolean =>
    (request.form !== undefined && name in request.form) || queryPairs(request.url).some(([n]) => n === name);
  return has('oauth_consumer_key') || has('oauth_signature');
}

function hmacSha1(base: string, key: string): string {
  return createHmac('sha1', key).update(base, 'utf8').digest('base64');
}

/**
 * Checks an OAuth 1.0/1.0a request (RFC 5849): parameters gathered from the `Authorization: OAuth`
 * header, the query string and urlencoded body fields; HMAC-SHA1 (or PLAINTEXT) signature compared in
 * constant time, also accepting a signature that covers the multipart text fields (a historical
 * client quirk); timestamp within the skew; nonce not used before with this consumer and token
 * (recorded only once the signature is right, so forgeries cannot burn nonces).
 *
 * @param store - Consumers, tokens, nonces.
 * @param request - The request as the HTTP layer saw it.
 * @param options - Clock, skew and the kind of token the endpoint expects.
 * @returns The consumer, token and OAuth parameters.
 * @throws {@link AuthFailure} naming what is wrong.
 */
export async function verifyOAuthRequest(
  store: AuthStore,
  request: AuthRequest,
  options: VerifyOAuthOptions,
): Promise<VerifiedOAuthRequest> {
  const authorization = headerValue(request.headers, 'authorization');
  const headerPairs: Pair[] = Object.entries(parseOAuthHeader(authorization) ?? {});
  const query = queryPairs(request.url);
  const form = fieldPairs(request.form);

  // Each protocol parameter once: the same value repeated in two places (query and body) is
  // tolerated, two different values are not.
  const oauth: Record<string, string> = {};
  for (const [name, value] of [...headerPairs, ...query, ...form]) {
    if (!name.startsWith('oauth_')) continue;
    if (name in oauth && oauth[name] !== value) throw new AuthFailure(`OAuth parameter ${name} is given twice with different values`);
    if (hasControlCharacter(value)) throw new AuthFailure(`OAuth parameter ${name} holds a control character`);
    oauth[name] = value;
  }
  const signature = oauth.oauth_signature;
  delete oauth.oauth_signature;
  const consumerKey = oauth.oauth_consumer_key;
  const method = oauth.oauth_signature_method;
  if (!consumerKey) throw new AuthFailure('oauth_consumer_key is missing');
  if (signature === undefined) throw new AuthFailure('oauth_signature is missing');
  if (method !== 'HMAC-SHA1' && method !== 'PLAINTEXT') {
    throw new AuthFailure(`unsupported oauth_signature_method "${method ?? ''}" (use HMAC-SHA1)`);
  }
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') {
    throw new AuthFailure(`unsupported oauth_version "${oauth.oauth_version}" (expected 1.0)`);
  }
  const timestampText = oauth.oauth_timestamp;
  const nonce = oauth.oauth_nonce;
  if (timestampText === undefined || !/^\d{1,12}$/.test(timestampText)) throw new AuthFailure('oauth_timestamp is missing or not whole unix seconds');
  if (!nonce) throw new AuthFailure('oauth_nonce is missing');
  const timestamp = Number(timestampText);
  const now = options.clock();
  if (Math.abs(now - timestamp) > options.timestampSkewSeconds) {
    throw new AuthFailure(`oauth_timestamp ${timestampText} is more than ${options.timestampSkewSeconds} s from the server clock (${Math.floor(now)})`);
  }

  const consumer = await store.getConsumer(consumerKey);
  if (!consumer) throw new AuthFailure('unknown oauth_consumer_key');

  const tokenKey = oauth.oauth_token ?? '';
  let token: OAuthTokenRecord | undefined;
  if (options.token === 'none') {
    if (tokenKey !== '') throw new AuthFailure('a request-token request carries no oauth_token');
  } else if (tokenKey !== '') {
    token = await store.getOAuthToken(tokenKey);
    const wanted = options.token === 'request' ? 'request' : 'access';
    if (!token || token.consumerKey !== consumer.key || token.kind !== wanted) throw new AuthFailure(`unknown or invalid ${wanted} token`);
    if (token.expiresAt !== null && token.expiresAt < now) throw new AuthFailure(`the ${wanted} token has expired`);
  } else if (options.token === 'request') {
    throw new AuthFailure('oauth_token (the request token) is missing');
  }

  const key = oauthSigningKey(consumer.secret, token?.secret ?? '');
  let valid: boolean;
  if (method === 'PLAINTEXT') {
    valid = safeEqual(key, signature);
  } else {
    // Everything but the signature (and realm) goes into the base string; query pairs are read
    // from the URL by oauthBaseString itself.
    const params: Pair[] = [...headerPairs.filter(([n]) => n !== 'oauth_signature'), ...form.filter(([n]) => n !== 'oauth_signature')];
    const urlWithoutSignature = stripQueryParam(request.url, 'oauth_signature');
    const candidates: Pair[][] = [params];
    const multipart = fieldPairs(request.multipartFields);
    if (multipart.length > 0) candidates.push([...params, ...multipart]);
    valid = candidates.some((c) => safeEqual(hmacSha1(baseString(request.method, urlWithoutSignature, c), key), signature));
  }
  if (!valid) throw new AuthFailure('invalid OAuth signature');

  const fresh = await store.useNonce(consumer.key, tokenKey, nonce, timestamp, 2 * options.timestampSkewSeconds);
  if (!fresh) throw new AuthFailure('this oauth_nonce has been used already');
  return { consumer, token, oauth };
}

/** The RFC 5849 base string; repeated names stay repeated (grouped as arrays for the library). */
function baseString(method: string, url: string, pairs: readonly Pair[]): string {
  const grouped: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const [name, value] of pairs) (grouped[name] ??= []).push(value);
  const params: OAuthParams = Object.create(null) as OAuthParams;
  for (const [name, values] of Object.entries(grouped)) params[name] = values.length === 1 ? values[0]! : values;
  try {
    return oauthBaseString(method, url, params);
  } catch (err) {
    if (err instanceof TypeError) throw new AuthFailure(`cannot check a signature for the URL ${url}`);
    throw err;
  }
}

/** Removes every `name=…` pair from a URL's query without re-encoding the others. */
function stripQueryParam(url: string, name: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const query = url.slice(q + 1, hash < 0 ? undefined : hash);
  const kept = query.split('&').filter((part) => {
    const eq = part.indexOf('=');
    const raw = eq < 0 ? part : part.slice(0, eq);
    try {
      return decodeURIComponent(raw.replace(/\+/g, ' ')) !== name;
    } catch {
      return true;
    }
  });
  return kept.length > 0 ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}
