import { defer, switchMap, type Observable, type SchedulerLike } from 'rxjs';
import { ConfigurationError } from '../errors/ConfigurationError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { PauseGate } from '../streams/PauseGate.js';
import { TimeoutError } from '../errors/TimeoutError.js';
import { DEFAULT_CLIENT_OPTIONS, type ClientOptions, type FetchLike } from './ClientOptions.js';
import type { SeriesMetadata } from './createSeriesRequest.js';
import type { SeriesData } from './encodeSeriesData.js';
import { errorForResponse } from './errorForResponse.js';
import { normalizeConfig } from './normalizeConfig.js';
import type { RequestSpec } from './RequestSpec.js';
import type { ResolvedAuth } from './ResolvedAuth.js';
import type { SeriesInfo } from './searchSeries.js';
import { checkSeriesSearch, type SeriesSearch } from './SeriesSearch.js';
import { Series, type SeriesClient } from './Series.js';
import type { TimetricConfig } from './TimetricConfig.js';
import type { WatchOptions } from './WatchOptions.js';

/**
 * One signal that aborts when any of `signals` does. `AbortSignal.any` (Node ≥ 20.3, current
 * browsers) holds its sources weakly, so a long-lived caller signal shared by many requests
 * (paging) collects no listeners; elsewhere a listener per source, removed by `release()` only when
 * the request failed early (a response body may still be read under the signal).
 */
function anySignal(signals: readonly (AbortSignal | undefined)[]): { signal: AbortSignal; release: () => void } {
  const sources = signals.filter((s): s is AbortSignal => s !== undefined);
  if (typeof AbortSignal.any === 'function') return { signal: AbortSignal.any(sources), release: () => undefined };
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  for (const s of sources) {
    if (s.aborted) controller.abort();
    else s.addEventListener('abort', onAbort, { once: true });
  }
  return { signal: controller.signal, release: () => sources.forEach((s) => s.removeEventListener('abort', onAbort)) };
}

/** An OAuth token and its secret, as the token endpoints answer them. */
export interface OAuthToken {
  oauth_token: string;
  oauth_token_secret: string;
  /** OAuth 1.0a: the server confirmed the callback given at request-token time. */
  oauth_callback_confirmed?: boolean;
}

/**
 * A client of a Timetric server (the historical API, plus this project's extensions when the
 * server has them). Configured like the historical Python client.
 *
 * Every series operation is a cold Observable: nothing is sent until you subscribe, and
 * unsubscribing aborts the request. The OAuth dance methods are Promises: they are one-shot
 * set-up steps, not streams.
 *
 * @example
 * ```ts
 * import { TimetricClient } from 'timetric';
 * import { lastValueFrom } from 'rxjs';
 * const client = new TimetricClient(
 *   { authtype: 'apitoken', apitoken_key: 'KEY', apitoken_secret: 'SECRET' },
 *   { baseUrl: 'http://localhost:8080' },
 * );
 * const series = await client.createSeries({ title: 'Power', caption: 'Watts' });
 * await lastValueFrom(series.update([[new Date(), 42]]));
 * console.log(await lastValueFrom(series.latest())); // [1764000000, 42]
 * ```
 */
export class TimetricClient implements SeriesClient {
  /** The config object given; `getAccessToken()` writes `oauth_token` / `oauth_secret` into it. */
  readonly config: TimetricConfig;
  /** Base URL without trailing slash. */
  readonly baseUrl: string;
  /** The scheduler every timer of this client runs on. */
  readonly scheduler: SchedulerLike;
  /** The pause shared by every writer and poller of this client: a 429/503 holds them all until the server's time has passed. */
  readonly pauseGate = new PauseGate();
  readonly timeoutMs: number;
  /** How much of an unfinished Server-Sent Event a push connection holds, characters (the `maxPushEventChars` option). */
  readonly maxPushEventChars: number;
  /** The settings of every series' `latest$` (the `latest` option). */
  readonly latestOptions: WatchOptions;
  private readonly fetchImpl: FetchLike;
  private readonly userAgent: string;
  private readonly signal: AbortSignal | undefined;
  private auth: ResolvedAuth;
  private lastRequestToken: OAuthToken | undefined;
  private readonly seriesCache = new Map<string, Series>();

  /**
   * @param config - Credentials with the historical keys (see {@link TimetricConfig}).
   * @param options - See {@link ClientOptions}; defaults in {@link DEFAULT_CLIENT_OPTIONS}.
   * @throws ConfigurationError naming a missing key or a bad base URL.
   */
  constructor(config: TimetricConfig, options: ClientOptions = {}) {
    this.config = config;
    this.auth = normalizeConfig(config);
    const o = { ...DEFAULT_CLIENT_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    try {
      const u = new URL(o.baseUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
    } catch {
      throw new ConfigurationError(`baseUrl ${JSON.stringify(o.baseUrl)} is not an http(s) URL`, 'baseUrl');
    }
    this.baseUrl = o.baseUrl.replace(/\/+$/, '');
    this.scheduler = o.scheduler;
    this.timeoutMs = o.timeoutMs;
    if (!Number.isSafeInteger(o.maxPushEventChars) || o.maxPushEventChars < 1) {
      throw new ConfigurationError(`maxPushEventChars must be a positive whole number of characters, got ${String(o.maxPushEventChars)}`, 'maxPushEventChars');
    }
    this.maxPushEventChars = o.maxPushEventChars;
    this.userAgent = o.userAgent;
    this.signal = options.signal;
    this.latestOptions = { ...options.latest };
    // The platform's fetch (browsers, Node ≥ 20), or the one given: no polyfill is bundled.
    // Called as a plain function: a browser's fetch throws "Illegal invocation" when called as a method of another object.
    const impl: FetchLike | undefined = options.fetch ?? (typeof globalThis.fetch === 'function' ? globalThis.fetch : undefined);
    if (!impl) throw new ConfigurationError('this platform has no fetch: give one as the fetch option (Node ≥ 20 and browsers have it)', 'fetch');
    this.fetchImpl = (input, init) => impl(input, init);
  }

  /**
   * The series with this id. No request is made; the same id gives the same object (so its
   * `latest$` is shared).
   */
  series(id: string): Series {
    let s = this.seriesCache.get(id);
    if (!s) this.seriesCache.set(id, (s = new Series(this, id)));
    return s;
  }

  /**
   * Creates a series (title and caption required; tags and other fields passed through), with
   * optional initial data in any form `update()` takes. The series and its data are created
   * together or not at all.
   *
   * @returns The new series (its id read from `Location`, the redirect never followed).
   */
  async createSeries(metadata: SeriesMetadata, data?: SeriesData): Promise<Series> {
    const { createSeriesRequest } = await import('./seriesRequestsChunk.js');
    const id = await createSeriesRequest(this, metadata, data);
    return this.series(id);
  }

  /**
   * Every series you may read that matches `search` (text `q`, `tags`, owner `user`), paged through
   * the search endpoint 100 at a time: a cold Observable of {@link SeriesInfo} that completes after
   * the last page, and stops paging when unsubscribed. Anonymous clients see public series only.
   *
   * @example
   * ```ts
   * import { toArray, lastValueFrom } from 'rxjs';
   * const mine = await lastValueFrom(client.search({ user: 'alice', tags: ['power'] }).pipe(toArray()));
   * ```
   */
  search(search: SeriesSearch = {}): Observable<SeriesInfo> {
    // A bad paging setting throws here; the search code is loaded on first subscription (a chunk of
    // its own), then pages as before.
    checkSeriesSearch(search);
    return defer(() => import('./seriesRequestsChunk.js')).pipe(switchMap(({ searchSeries }) => searchSeries(this, search)));
  }

  /**
   * The request layer every operation uses: builds the URL, signs (Basic or OAuth), applies the
   * timeout (on the client's scheduler) and the abort signals, and turns failures into the error
   * family: {@link HttpError} and subclasses, {@link TimeoutError}, {@link NetworkError}.
   * Resolves to the response (2xx or one of `spec.accept`), body unread.
   */
  async request(spec: RequestSpec): Promise<Response> {
    const url = new URL(/^https?:/.test(spec.path) ? spec.path : `${this.baseUrl}${spec.path}`);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...spec.headers };
    if (this.userAgent && typeof document === 'undefined') headers['user-agent'] = this.userAgent;
    let body = spec.body;
    if (spec.form) {
      body = new URLSearchParams(spec.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (!spec.unsigned && (this.auth.type !== 'anonymous' || spec.oauth)) headers.authorization = await this.authorization(spec.method, url.href, spec.form, spec.oauth);

    // The timeout covers the wait for the response's headers; the caller's and the client's
    // signals keep covering the body (unsubscribing mid-read still aborts).
    const timeout = new AbortController();
    const { signal, release } = anySignal([spec.signal, this.signal, timeout.signal]);
    const timer = this.timeoutMs > 0 ? this.scheduler.schedule(() => timeout.abort(), this.timeoutMs) : undefined;
    const cleanup = (): void => timer?.unsubscribe();
    const shown = `${url.origin}${url.pathname}`;
    let response: Response;
    try {
      response = await this.fetchImpl(url.href, { method: spec.method, headers, body: body ?? null, signal, redirect: 'manual' });
    } catch (err) {
      cleanup();
      release();
      if (timeout.signal.aborted && !spec.signal?.aborted && !this.signal?.aborted) throw new TimeoutError(spec.method, shown, this.timeoutMs);
      if (signal.aborted) throw err instanceof Error && err.name === 'AbortError' ? err : new DOMException('aborted', 'AbortError');
      throw new NetworkError(spec.method, shown, err);
    }
    cleanup();
    const ok = (response.status >= 200 && response.status < 300) || spec.accept?.includes(response.status);
    if (!ok) {
      throw await errorForResponse(spec.method, shown, response);
    }
    return response;
  }

  private async authorization(method: string, url: string, form: Record<string, string> | undefined, oauth: RequestSpec['oauth']): Promise<string> {
    const auth = this.auth;
    if (auth.type === 'anonymous') throw new ConfigurationError("authtype 'anonymous' has no credentials to sign with", 'authtype');
    if (auth.type === 'apitoken') return `Basic ${btoa(unescape(encodeURIComponent(`${auth.key}:${auth.secret}`)))}`;
    const token = oauth ? oauth.token : auth.token;
    const tokenSecret = oauth ? oauth.tokenSecret : auth.tokenSecret;
    if (!oauth && (!token || !tokenSecret)) {
      throw new ConfigurationError(
        'no OAuth access token yet: complete getRequestToken() / getAuthorizeUrl() / getAccessToken(), or set oauth_token and oauth_secret in the config',
        'oauth_token',
      );
    }
    // Loaded on first use: pages that never sign with OAuth do not download the signer (code splitting).
    const { signOAuth } = await import('./signOAuth.js');
    return signOAuth(method, url, form, { consumerKey: auth.consumerKey, consumerSecret: auth.consumerSecret, token, tokenSecret }, oauth?.params);
  }

  private requireOAuth(): Extract<ResolvedAuth, { type: 'oauth' }> {
    if (this.auth.type !== 'oauth') throw new ConfigurationError("the OAuth dance needs authtype 'oauth'", 'authtype');
    return this.auth;
  }

  /**
   * Step 1 of the OAuth dance: a request token, signed with the consumer secret. With `callback`
   * (OAuth 1.0a) the server will send the user back there with a verifier.
   */
  async getRequestToken(callback?: string): Promise<OAuthToken> {
    this.requireOAuth();
    // The token calls are loaded on first use, like the signer.
    const { fetchRequestToken } = await import('./oauthDance.js');
    this.lastRequestToken = await fetchRequestToken(this, callback);
    return this.lastRequestToken;
  }

  /**
   * Step 2: the URL to send the user's browser to, where they log in and authorize this app.
   * `callback` (OAuth 1.0 style) is where the server redirects afterwards.
   */
  getAuthorizeUrl(token: OAuthToken | string | undefined = this.lastRequestToken, callback?: string): string {
    const key = typeof token === 'string' ? token : token?.oauth_token;
    if (!key) throw new ConfigurationError('no request token: call getRequestToken() first', 'oauth_token');
    const u = new URL(`${this.baseUrl}/oauth/authorize/`);
    u.searchParams.set('oauth_token', key);
    if (callback) u.searchParams.set('oauth_callback', callback);
    return u.href;
  }

  /**
   * Step 3: exchanges the authorized request token (and, for OAuth 1.0a, the verifier) for an
   * access token, writes it into the config (`oauth_token`, `oauth_secret`) and uses it from now on.
   */
  async getAccessToken(token: OAuthToken | undefined = this.lastRequestToken, verifier?: string): Promise<OAuthToken> {
    const auth = this.requireOAuth();
    if (!token) throw new ConfigurationError('no request token: call getRequestToken() first', 'oauth_token');
    const { fetchAccessToken } = await import('./oauthDance.js');
    const access = await fetchAccessToken(this, token, verifier);
    this.config.oauth_token = access.oauth_token;
    this.config.oauth_secret = access.oauth_token_secret;
    this.auth = { ...auth, token: access.oauth_token, tokenSecret: access.oauth_token_secret };
    return access;
  }
}

