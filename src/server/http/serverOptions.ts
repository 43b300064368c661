import type { FastifyServerOptions } from 'fastify';
import type { Authenticator } from '../auth/Authenticator.js';
import type { Store } from '../store/Store.js';

/** Options of `createTimetricServer`. Every optional field defaults from {@link DEFAULT_SERVER_OPTIONS}. */
export interface TimetricServerOptions {
  /** Where series, points and credentials live (`openSqliteStore`, `openPostgresStore`). Required. */
  store: Store;
  /** Checks credentials. Default: `createAuthenticator(store, { clock })` (API tokens and OAuth). */
  authenticator?: Authenticator;
  /** Unix seconds now: the time of `value=` / `increment=` appends and of OAuth checks. Default: the real clock. */
  clock?: () => number;
  /** Largest CSV body (raw or the multipart `csv` part), bytes; larger → 413. Default 2 GiB. */
  maxCsvBytes?: number;
  /** Largest urlencoded body, multipart text field, or all text fields of one multipart body together, bytes; larger → 413. Default 1 MB. */
  maxFormBytes?: number;
  /** Longest line of a CSV upload, UTF-8 bytes without its newline; longer → 400 naming the line, as soon as that many bytes of it have arrived, nothing applied. Default 65,536 (64 KiB). */
  maxCsvLineBytes?: number;
  /** Authorize-page sign-ins checked for one user name without the right password before that name is refused (`429` + `Retry-After`) for `signInLockoutSeconds`; counted as they arrive, concurrent ones included. Default 10. */
  maxSignInFailures?: number;
  /** How long a locked-out user name is refused, seconds, from its first failed attempt. Default 900. */
  signInLockoutSeconds?: number;
  /** Largest request line + headers, bytes; larger → 414 (request line) or 431. Default 16 KiB. */
  maxHeaderBytes?: number;
  /**
   * Time a connection has to send a complete request line and headers, counted from its opening
   * (or from the start of its next request), ms; then `408` and the connection is closed (one that
   * never sent a byte is closed without an answer). Checked every tenth of it, at most every second.
   * Default 10,000.
   */
  headersTimeoutMs?: number;
  /**
   * Longest silence inside a request body while the server waits for it, ms: then `408` +
   * `Connection: close`, nothing is applied and the write's admission slot is free again.
   * Default 30,000.
   */
  bodyIdleTimeoutMs?: number;
  /**
   * Open connections at most. At the cap, a new connection closes the oldest one that has not sent
   * a request yet (else the one idle longest between requests; when every connection has a request
   * in progress, the new one is closed), so new clients are served while idle sockets are not.
   * Keep it below the process's open-file limit. `'auto'`: that limit (`ulimit -n`, read from
   * /proc/self/limits) minus a tenth of it (at least 64) for the store and the rest; 4,096 where the
   * limit cannot be read. Default `'auto'` (921 under `ulimit -n 1024`).
   */
  maxConnections?: number | 'auto';
  /**
   * Authenticated series writes (POST, PUT, DELETE, `/create/`) in progress at once; one more gets
   * `503` + `Retry-After` and nothing is applied. A write takes its slot once its credentials
   * checked out (before its body is read; after it for urlencoded bodies, whose fields may carry or
   * be signed by OAuth), so unauthenticated requests never hold one. Default 64.
   */
  maxConcurrentWrites?: number;
  /** The `Retry-After` of those 503 answers, seconds. Default 1. */
  overloadRetryAfterSeconds?: number;
  /** Serve the Server-Sent Events extension `GET /series/ID/value/events/`; `false` answers 404 there, as the historical service did (clients in `'auto'` mode then poll). Default true. */
  push?: boolean;
  /**
   * Interval of `: heartbeat` comments on Server-Sent Events streams, ms. The credentials that
   * opened the streams are re-checked twice per interval: a stream whose API token was revoked (or
   * whose OAuth access token was withdrawn) ends within one heartbeat, on every instance. Default 15,000.
   */
  heartbeatMs?: number;
  /**
   * Serve downsampled CSV reads (`?every=SECONDS&agg=…`, `?points=W&agg=m4`, answered with an
   * `X-Timetric-Downsampled` header); `false` ignores those parameters and answers the raw points
   * of the range, as a server without the extension does (clients then downsample themselves).
   * Default true.
   */
  downsample?: boolean;
  /** Largest `limit` a CSV read may ask for (pages are held in memory). Default 100,000 points. */
  maxPageSize?: number;
  /** Longest search text `q`, characters (UTF-16 code units); longer → 400. Default 200. */
  maxSearchQueryChars?: number;
  /** Most tags one search may ask for (`?tags=` and `/tags/T1;T2/` together, distinct); more → 400. Default 20. */
  maxTagsPerQuery?: number;
  /** Longest series `title`, characters; longer → 413. Default 1,000. */
  maxTitleChars?: number;
  /** Longest series `caption`, characters; longer → 413. Default 1,000. */
  maxCaptionChars?: number;
  /** Longest series `description`, characters; longer → 413. Default 10,000. */
  maxDescriptionChars?: number;
  /** Most tags one series may have (distinct); more → 413. Default 100. */
  maxTagsPerSeries?: number;
  /** Longest tag, characters; longer → 413. Default 100. */
  maxTagChars?: number;
  /** Longest value of one extra metadata field (any field besides title, caption, description, tags, public), characters; longer → 413. Default 10,000. */
  maxExtraFieldChars?: number;
  /** Most bytes of all extra metadata fields of a series together, names and values, UTF-8; more → 413. Default 65,536. */
  maxExtraBytes?: number;
  /** Largest line-protocol body of an InfluxDB write (`/write`, `/api/v2/write`), bytes after gzip decompression; larger → 413 as soon as that many bytes arrived (a gzip bomb is cut off there), nothing applied. Default 64 MiB. */
  maxInfluxBodyBytes?: number;
  /** Longest line of an InfluxDB write, characters without its newline; longer → 400 naming the line, nothing applied. Default 65,536. */
  maxInfluxLineChars?: number;
  /** Most fields on one line of an InfluxDB write; more → 400 naming the line. Default 1,000. */
  maxInfluxFieldsPerLine?: number;
  /** Longest measurement, tag key, tag value, field key, database or bucket name of an InfluxDB write, characters; longer → 400. Default 256. (Tags per line are capped by `maxTagsPerSeries`, and each `key=value` series tag by `maxTagChars`.) */
  maxInfluxKeyChars?: number;
  /** Series one user may hold that InfluxDB writes created (one per database, measurement, tag set and field); a write that would create more → 422 naming this cap, nothing applied. Default 10,000. */
  maxInfluxSeriesPerUser?: number;
  /** Allowed CORS origins: `'*'` or a list. Default `'*'`. */
  corsOrigins?: '*' | string[];
  /** Base URL used in `Location` and `Link` headers, e.g. behind a proxy. Default: from the request's Host. */
  publicUrl?: string | undefined;
  /** On `close()`, how long requests in progress may take to finish before their connections are cut, ms. Default 10,000. */
  closeGraceMs?: number;
  /**
   * How long an `Idempotency-Key` of an increment is remembered, per series, seconds: a repeat
   * within it is answered as the first time and not applied again. Kept in the database (every
   * instance, every restart); older keys are purged. Default 86,400 (24 h).
   */
  idempotencyWindowSeconds?: number;
  /** Fastify logger option. Default false. */
  logger?: FastifyServerOptions['logger'];
  /**
   * The dashboard page at `/dashboard/`: `true` serves the page `npm run build` put in the
   * package's `dist/dashboard`, a string serves it from that folder, `false` leaves `/dashboard/`
   * unanswered (404). Default true.
   */
  dashboard?: boolean | string;
}

/** Defaults of {@link TimetricServerOptions}. */
export const DEFAULT_SERVER_OPTIONS = {
  clock: (): number => Date.now() / 1000,
  maxCsvBytes: 2 * 1024 ** 3,
  maxFormBytes: 1_000_000,
  maxCsvLineBytes: 65_536,
  maxSignInFailures: 10,
  signInLockoutSeconds: 900,
  maxHeaderBytes: 16 * 1024,
  maxConcurrentWrites: 64,
  overloadRetryAfterSeconds: 1,
  push: true,
  heartbeatMs: 15_000,
  downsample: true,
  maxPageSize: 100_000,
  maxSearchQueryChars: 200,
  maxTagsPerQuery: 20,
  maxTitleChars: 1_000,
  maxCaptionChars: 1_000,
  maxDescriptionChars: 10_000,
  maxTagsPerSeries: 100,
  maxTagChars: 100,
  maxExtraFieldChars: 10_000,
  maxExtraBytes: 65_536,
  maxInfluxBodyBytes: 64 * 1024 ** 2,
  maxInfluxLineChars: 65_536,
  maxInfluxFieldsPerLine: 1_000,
  maxInfluxKeyChars: 256,
  maxInfluxSeriesPerUser: 10_000,
  corsOrigins: '*' as '*' | string[],
  closeGraceMs: 10_000,
  idempotencyWindowSeconds: 86_400,
  headersTimeoutMs: 10_000,
  bodyIdleTimeoutMs: 30_000,
  maxConnections: 'auto' as number | 'auto',
  logger: false as FastifyServerOptions['logger'],
  dashboard: true as boolean | string,
};
