import { createHmac } from 'node:crypto';
import { oauthBaseString, oauthSigningKey, type OAuthParams } from '../../codec/oauthBaseString.js';
import type { AuthStore, ConsumerRecord, OAuthTokenRecord } from '../store/Store.js';
import { AuthFailure } from './AuthFailure.js';
import type { AuthRequest } from './Authenticator.js';
import { parseOAuthHeader } from './parseOAuthHeader.js';
import { safeEqual } from './secrets.js';

/** What a verified OAuth request proved. */
export interface VerifiedOAuth {
  consumer: ConsumerRecord;
  token: OAuthTokenRecord | undefined;
  /** Every OAuth protocol parameter of the request (oauth_callback, oauth_verifier, …). */
  oauth: Record<string, string>;
}

/** Which token a request must carry: none (request-token step), a request token, or an access token. */
export type ExpectedToken = 'none' | 'request' | 'access';

export interface VerifyOptions {
  store: AuthStore;
  /** Unix seconds. */
  now: number;
  /** How far oauth_timestamp may be from `now`, in seconds. */
  skewSeconds: number;
}

function header(req: AuthRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function first(params: OAuthParams | undefined, key: string): string | undefined {
  const v = params?.[key];
  return typeof v === 'string' ? v : v?.[0];
}

/** True when the request carries OAuth parameters anywhere (header, query or form). */
export function hasOAuthParams(req: AuthRequest): boolean {
  if (parseOAuthHeader(header(req, 'authorization'))) return true;
  return new URL(req.url).searchParams.has('oauth_consumer_key') || first(req.form, 'oauth_consumer_key') !== undefined;
}

function signatureFor(method: string, req: AuthRequest, params: OAuthParams, consumerSecret: string, tokenSecret: string, kind: string): string {
  const base = oauthBaseString(method, req.url, params);
  const key = oauthSigningKey(consumerSecret, tokenSecret);
  return kind === 'PLAINTEXT' ? key : createHmac('sha1', key).update(base).digest('base64');
}

/**
 * Verifies an OAuth 1.0/1.0a request signed with HMAC-SHA1 (or PLAINTEXT over any channel the
 * operator accepts): parameters from the `Authorization` header, or else the query string and the
 * urlencoded body; consumer and token looked up; timestamp within `skewSeconds`; signature checked
 * with and without multipart text fields (the historical client's quirk); the nonce recorded so a
 * replay is refused. Throws {@link AuthFailure} saying what is wrong.
 */
export async function verifyOAuthRequest(req: AuthRequest, expected: ExpectedToken, options: VerifyOptions): Promise<VerifiedOAuth> {
  const fromHeader = parseOAuthHeader(header(req, 'authorization'));
  const query = new URL(req.url).searchParams;
  const oauth: Record<string, string> = {};
  if (fromHeader) Object.assign(oauth, fromHeader);
  else {
    for (const [k, v] of query) if (k.startsWith('oauth_')) oauth[k] = v;
    for (const k of Object.keys(req.form ?? {})) if (k.startsWith('oauth_')) oauth[k] = first(req.form, k)!;
  }
  const missing = ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce'].filter(
    (k) => !oauth[k],
  );
  const method = oauth.oauth_signature_method?.toUpperCase();
  if (missing.length && !(method === 'PLAINTEXT' && missing.every((k) => k === 'oauth_timestamp' || k === 'oauth_nonce'))) {
    throw new AuthFailure(`OAuth request lacks ${missing.join(', ')}`);
  }
  if (method !== 'HMAC-SHA1' && method !== 'PLAINTEXT') throw new AuthFailure(`unsupported oauth_signature_method ${oauth.oauth_signature_method}`);
  if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') throw new AuthFailure('oauth_version must be 1.0');

  const consumer = await options.store.getConsumer(oauth.oauth_consumer_key!);
  if (!consumer) throw new AuthFailure('unknown OAuth consumer key');

  let token: OAuthTokenRecord | undefined;
  if (expected === 'none') {
    if (oauth.oauth_token) throw new AuthFailure('a request-token request must not carry oauth_token');
  } else {
    if (!oauth.oauth_token) throw new AuthFailure('OAuth request lacks oauth_token');
    token = await options.store.getOAuthToken(oauth.oauth_token);
    if (!token || token.consumerKey !== consumer.key || token.kind !== expected) {
      throw new AuthFailure(`unknown or invalid OAuth ${expected} token`);
    }
    if (token.expiresAt !== null && token.expiresAt < options.now) throw new AuthFailure(`OAuth ${expected} token has expired`);
  }

  if (oauth.oauth_timestamp !== undefined) {
    const ts = Number(oauth.oauth_timestamp);
    if (!Number.isInteger(ts) || Math.abs(ts - options.now) > options.skewSeconds) {
      throw new AuthFailure(`oauth_timestamp ${oauth.oauth_timestamp} is more than ${options.skewSeconds} s from the server clock`);
    }
  }

  // Everything but the signature goes into the base string: OAuth params (if in the header), form fields.
  const signed: OAuthParams = {};
  if (fromHeader) for (const [k, v] of Object.entries(fromHeader)) if (k !== 'oauth_signature') signed[k] = v;
  for (const [k, v] of Object.entries(req.form ?? {})) if (k !== 'oauth_signature') signed[k] = v;
  const url = new URL(req.url);
  url.searchParams.delete('oauth_signature');
  const sign = (params: OAuthParams): string =>
    signatureFor(req.method, { ...req, url: url.href }, params, consumer.secret, token?.secret ?? '', method);
  const given = oauth.oauth_signature!;
  let ok = safeEqual(sign(signed), given);
  if (!ok && req.multipartFields) ok = safeEqual(sign({ ...signed, ...req.multipartFields }), given);
  if (!ok) throw new AuthFailure('OAuth signature does not match; check the consumer secret and token secret');

  if (oauth.oauth_nonce !== undefined) {
    const fresh = await options.store.useNonce(consumer.key, token?.token ?? '', oauth.oauth_nonce, Number(oauth.oauth_timestamp), options.skewSeconds);
    if (!fresh) throw new AuthFailure('oauth_nonce was already used (replayed request)');
  }
  return { consumer, token, oauth };
}
