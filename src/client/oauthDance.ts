// The token calls of the OAuth dance, loaded with import() by TimetricClient the first time it asks
// for a request or access token: pages that never run the dance do not download them.
import { TimetricError } from '../errors/TimetricError.js';
import type { RequestSpec } from './RequestSpec.js';

/** A token as the token endpoints answer it (the shape of TimetricClient's `OAuthToken`; that module imports this one). */
export interface DanceToken {
  oauth_token: string;
  oauth_token_secret: string;
  oauth_callback_confirmed?: boolean;
}

/** What the dance needs of a client: its request layer (which signs with `spec.oauth`). */
export interface DanceTransport {
  request(spec: RequestSpec): Promise<Response>;
}

async function tokenCall(client: DanceTransport, path: string, oauth: NonNullable<RequestSpec['oauth']>): Promise<Record<string, string>> {
  const r = await client.request({ method: 'POST', path, oauth });
  const text = await r.text();
  const fields = Object.fromEntries(new URLSearchParams(text));
  if (!fields.oauth_token || !fields.oauth_token_secret) throw new TimetricError(`${path} answered without oauth_token/oauth_token_secret: ${text.slice(0, 200)}`);
  return fields;
}

/**
 * Step 1: a request token, signed with the consumer secret (see `TimetricClient.getRequestToken`).
 *
 * @param client - The client's request layer.
 * @param callback - Where the server sends the user back (OAuth 1.0a), if anywhere.
 * @returns The request token.
 */
export async function fetchRequestToken(client: DanceTransport, callback: string | undefined): Promise<DanceToken> {
  const f = await tokenCall(client, '/oauth/request_token/', { params: callback ? { oauth_callback: callback } : {} });
  return { oauth_token: f.oauth_token!, oauth_token_secret: f.oauth_token_secret!, oauth_callback_confirmed: f.oauth_callback_confirmed === 'true' };
}

/**
 * Step 3: exchanges an authorized request token (and the verifier) for an access token (see
 * `TimetricClient.getAccessToken`).
 *
 * @param client - The client's request layer.
 * @param token - The authorized request token.
 * @param verifier - The OAuth 1.0a verifier, if the server gave one.
 * @returns The access token.
 */
export async function fetchAccessToken(client: DanceTransport, token: DanceToken, verifier: string | undefined): Promise<DanceToken> {
  const f = await tokenCall(client, '/oauth/access_token/', {
    token: token.oauth_token,
    tokenSecret: token.oauth_token_secret,
    params: verifier ? { oauth_verifier: verifier } : {},
  });
  return { oauth_token: f.oauth_token!, oauth_token_secret: f.oauth_token_secret! };
}
