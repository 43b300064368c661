/** Who made a request, once its credentials checked out. */
export interface Principal {
  userId: number;
  userName: string;
  /** Which scheme proved it. */
  via: 'apitoken' | 'oauth';
}

/** The parts of an HTTP request that authentication looks at. */
export interface AuthRequest {
  method: string;
  /** Absolute URL as the client addressed it: `scheme://host[:port]/path?query`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Fields of an urlencoded body: part of the OAuth base string, may carry OAuth parameters. */
  form?: Record<string, string | string[]> | undefined;
  /**
   * Text fields of a multipart body. The historical client put them in its base string; a
   * signature computed with or without them is accepted.
   */
  multipartFields?: Record<string, string | string[]> | undefined;
}

/** Checks the credentials of a request (API token over Basic, or OAuth 1.0/1.0a HMAC-SHA1). */
export interface Authenticator {
  /**
   * Resolves to the principal, to `null` for a request without credentials (anonymous), and rejects
   * with {@link AuthFailure} for credentials that are present but wrong (unknown or revoked token,
   * bad signature, reused nonce, stale timestamp).
   */
  authenticate(request: AuthRequest): Promise<Principal | null>;
  /**
   * Optional: for each principal this authenticator returned, whether the credentials that proved
   * it are still valid (the API token not revoked, the OAuth access token not withdrawn or
   * expired), with one store lookup per distinct credential. Long-lived responses (event streams)
   * ask it periodically and end when the answer is `false`. A lookup that fails counts as still
   * valid (asked again later). Without this method, open streams are not re-checked.
   */
  stillValid?(principals: readonly Principal[]): Promise<boolean[]>;
}
