/** One HTTP exchange as the client's request layer takes it. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL (e.g. `/series/ID/csv/`), or an absolute URL (a `Link: rel="next"`). */
  path: string;
  /** Query parameters (part of the OAuth signature). */
  query?: Record<string, string | undefined> | undefined;
  /** Urlencoded body fields (part of the OAuth signature). */
  form?: Record<string, string> | undefined;
  /** Any other body (CSV text, FormData, Blob…), sent as is. */
  body?: BodyInit | undefined;
  headers?: Record<string, string> | undefined;
  /** Aborts this request. */
  signal?: AbortSignal | undefined;
  /** Statuses that are not failures besides 2xx (e.g. 303 for /create/, 304 for conditional reads). */
  accept?: readonly number[] | undefined;
  /** Send without credentials (the OAuth token endpoints sign themselves). */
  unsigned?: boolean | undefined;
  /** Extra OAuth protocol parameters and token to sign with (the OAuth dance). */
  oauth?: { token?: string | undefined; tokenSecret?: string | undefined; params?: Record<string, string> } | undefined;
}
