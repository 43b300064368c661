import type { DownsampleSpec } from '../../codec/downsample/DownsampleSpec.js';
import type { Point, PointValue } from '../../codec/Point.js';
import type { IdempotencyClaim, IdempotentOutcome } from './IdempotencyClaim.js';

/*
 * The storage contract of the server. Two implementations: SQLite (default, one file or memory)
 * and PostgreSQL (several stateless server instances on one database). Every method is async so
 * both fit; the HTTP layer never sees SQL.
 *
 * Times are unix seconds (float), values number | boolean | null. Timestamps are unique per
 * series: writing a point at an existing timestamp replaces its value (idempotent appends).
 */

/**
 * What access checks, ETags and live streams need of a series: no metadata text, so reading it
 * costs the same however large the series' title, description or extra fields are.
 */
export interface SeriesHead {
  /** 22-character URL-safe base64 id. */
  id: string;
  ownerId: number;
  public: boolean;
  /** Increases with every change of the series' points; the source of ETags. */
  version: number;
}

/** A series as stored. */
export interface SeriesRecord extends SeriesHead {
  title: string;
  caption: string;
  description: string | null;
  tags: string[];
  /** Any other metadata field from `/create/`, kept verbatim. */
  extra: Record<string, string>;
  /** Unix seconds. */
  createdAt: number;
}

/** A series as search lists it: everything but the extra fields. */
export type SeriesSummary = Omit<SeriesRecord, 'extra'>;

/** The version of a series and its latest point, read together (one snapshot). */
export interface LatestWithVersion {
  version: number;
  /** Undefined while the series has no points. */
  latest: Point | undefined;
}

/** What `/create/` stores. */
export type NewSeries = Omit<SeriesRecord, 'createdAt' | 'version'>;

/** A read range: `start` inclusive, `end` exclusive, at most `limit` points (all when absent). */
export interface PointRange {
  start?: number | undefined;
  end?: number | undefined;
  limit?: number | undefined;
}

/** Points as two columns: `values[i]` is the value at `times[i]`. */
export interface PointColumns {
  times: ArrayLike<number>;
  values: ArrayLike<PointValue>;
}

/** How one series is stored (`timetric stats`). */
export interface SeriesStorage {
  seriesId: string;
  points: number;
  /** Compressed chunks holding its points. */
  chunks: number;
  /** Points still in the uncompressed head (not yet compacted into chunks). */
  headPoints: number;
  /** Bytes its chunks and head rows take in the database, indexes included (a store's best measure). */
  bytes: number;
}

/** How a store holds its points (`timetric stats`). */
export interface StorageStats {
  /** One entry a series, or only the series asked for. */
  series: SeriesStorage[];
  /** The whole database on disk, bytes (the file for SQLite, the point tables for PostgreSQL). */
  databaseBytes: number;
}

/**
 * Search over series metadata. Only series that `viewerId` may read (own or public) are returned,
 * oldest first. The cost is linear in the metadata scanned: no quadratic substring match (see
 * createTextMatcher), and each tag a set lookup.
 */
export interface SeriesQuery {
  /**
   * Free text contained (case-insensitively, Unicode lower case) in the title, the caption, the
   * description or one of the tags.
   */
  q?: string | undefined;
  /** Owner's user name. */
  user?: string | undefined;
  /** Every tag must be present (case-insensitively). */
  tags?: readonly string[] | undefined;
  /** The signed-in user, or null for anonymous. */
  viewerId: number | null;
  limit: number;
  offset: number;
}

/** `merge` adds/replaces points (POST); `replace` swaps the whole history (PUT). */
export type WriteMode = 'merge' | 'replace';

/**
 * A write whose points arrive in pieces (a streamed CSV body). Nothing is visible to readers until
 * `commit()`, which applies everything as one transaction; `abort()` (or a crash) applies nothing.
 * Memory stays bounded however many points are staged (implementations spill to disk/database).
 */
export interface PointWriter {
  stage(points: readonly Point[]): Promise<void>;
  /**
   * Applies all staged points atomically. Returns how many were staged, the new version, and how
   * many replaced a point already stored at the same time (`X-Timetric-Replaced`; undefined when
   * the store does not count them).
   */
  commit(): Promise<{ points: number; version: number; replaced?: number | undefined }>;
  /** Discards the staged points. Safe after commit and when called twice. */
  abort(): Promise<void>;
}

/**
 * One series' part of a {@link SeriesStore.writeKeyed} write: the series is found by its key among
 * the owner's keyed series, or created from `create` when none has it yet.
 */
export interface KeyedSeriesWrite {
  /** Identifies the series among its owner's keyed series (the InfluxDB mapping's canonical text). */
  key: string;
  /** The series to create when no series of the owner has `key` (a fresh id, the writer as owner). */
  create: NewSeries;
  /** Listed by {@link SeriesStore.keyedNames}: the InfluxDB database (or bucket) of the series. */
  database: string;
  /** Listed by {@link SeriesStore.keyedNames}: the InfluxDB measurement of the series. */
  measurement: string;
  /** The points, ascending and unique by time; they replace points at the same times. */
  points: PointColumns;
}

/**
 * The series half of a {@link Store}: series and their metadata, their points (append, replace,
 * ranges, latest), search, and the optional keyed writes of the InfluxDB-compatible routes. Both
 * stores (SQLite, PostgreSQL) implement it and pass the same conformance suite
 * (spec/store/storeConformance.ts); a store of your own should too. Every method is asynchronous; unknown ids
 * give `undefined` or `false`, never an error.
 */
export interface SeriesStore {
  /** Creates an empty series. */
  createSeries(series: NewSeries): Promise<SeriesRecord>;
  getSeries(id: string): Promise<SeriesRecord | undefined>;
  /**
   * The series without its metadata text, for the hot paths (every read and write checks access
   * with it): its cost does not grow with the size of the metadata.
   */
  getSeriesHead(id: string): Promise<SeriesHead | undefined>;
  /** Removes the series and its points. False when it did not exist. */
  deleteSeries(id: string): Promise<boolean>;
  /** A page of the series matching `query`, read in batches (memory and event-loop time stay bounded). */
  searchSeries(query: SeriesQuery): Promise<SeriesSummary[]>;
  /** Points in range, ascending by time, yielded in chunks of at most `chunkSize` (default 10,000). */
  readPoints(id: string, range: PointRange, chunkSize?: number): AsyncIterable<Point[]>;
  /**
   * Optional: the same chunks as {@link readPoints}, as columns (no tuple per point). CSV reads
   * use it when present.
   */
  readPointColumns?(id: string, range: PointRange, chunkSize?: number): AsyncIterable<PointColumns>;
  /**
   * Optional: the time of the point right after the first `limit` points of `range` — where the
   * next page starts — or undefined when the range holds at most `limit` points. With it (and
   * {@link readPointColumns}) a paged CSV read sends its `Link` first and streams the page.
   */
  pageEnd?(id: string, range: PointRange, limit: number): Promise<number | undefined>;
  /**
   * Optional: a downsampled read of the points in `[spec.start, spec.end)` — one point per
   * non-empty bucket of `every` seconds, or M4 over `points` columns (see `DownsampleSpec`) — in
   * pieces, ascending. Computed from chunk summaries where a chunk lies in one bucket; only chunks
   * straddling an edge are decoded. The spec must be valid (`downsampleSpecProblem`).
   */
  downsample?(id: string, spec: DownsampleSpec): AsyncIterable<Point[]>;
  /** The point with the greatest time, if any. */
  latest(id: string): Promise<Point | undefined>;
  /**
   * The version and the latest point in one snapshot, without the metadata: what a live stream
   * sends after each change. Undefined when the series does not exist (deleted).
   */
  latestWithVersion(id: string): Promise<LatestWithVersion | undefined>;
  /** Writes one point (replacing one at the same time). */
  appendValue(id: string, time: number, value: PointValue): Promise<{ point: Point; version: number }>;
  /**
   * Writes latest + delta at `time` (base 0 on an empty series) in one transaction, so concurrent
   * increments never lose an update. Throws {@link StoreConflictError} when the latest value is
   * not a number (true/false/null).
   */
  increment(id: string, time: number, delta: number): Promise<{ point: Point; version: number }>;
  /**
   * Optional: {@link increment} at most once per `claim.key` of this series within the claim's
   * window (an `Idempotency-Key`): a key seen before with the same fingerprint is not applied again
   * (`repeated`, with the status first answered), with another fingerprint it is refused
   * (`mismatch`). The key is recorded in the increment's transaction.
   */
  incrementOnce?(id: string, time: number, delta: number, claim: IdempotencyClaim): Promise<IdempotentOutcome>;
  /**
   * Opens a staged write to an existing series, or — with `create` — to a series that comes into
   * existence only when the write commits (`/create/` with data is all or nothing too).
   */
  openWriter(id: string, mode: WriteMode, create?: NewSeries): Promise<PointWriter>;
  /**
   * Calls `listener(seriesId)` after every committed change of a series' points or its deletion,
   * including changes made by other server instances on the same database. Returns an unsubscribe.
   */
  onChange(listener: (seriesId: string) => void): () => void;
  /**
   * Optional: moves the head points of one series (or of all) into compressed chunks now. The
   * store also does it by itself, by head size and age; points and reads do not change.
   */
  compact?(id?: string): Promise<void>;
  /** Optional: how the points are stored, per series and in total (`timetric stats`). */
  storageStats?(id?: string): Promise<StorageStats>;
  /**
   * Optional: writes points into many series in ONE transaction, finding each by its key through
   * an index (per owner) and creating those not found. All or nothing: when the owner would hold
   * more than `maxKeyedSeries` keyed series, it throws `SeriesCapError` (./SeriesCapError.ts) and applies nothing.
   * Listeners hear of every series written, after the commit.
   *
   * @returns How many series were created and how many points were written.
   */
  writeKeyed?(ownerId: number, writes: readonly KeyedSeriesWrite[], maxKeyedSeries: number): Promise<{ created: number; points: number }>;
  /**
   * Optional: the names of the owner's keyed series: the distinct databases when `database` is
   * undefined, else the distinct measurements of that database; sorted.
   */
  keyedNames?(ownerId: number, database?: string): Promise<string[]>;
}

/** A user as stored: who owns series and tokens and signs in to the OAuth authorize page. */
export interface UserRecord {
  id: number;
  name: string;
  /** `scrypt$<salt b64>$<hash b64>` (see src/server/auth/passwords.ts). */
  passwordHash: string;
  createdAt: number;
}

/**
 * An API token as stored (HTTP Basic auth, `timetric token create`): its public key, the user it
 * acts for and a hash of its secret, never the secret. Times are unix seconds.
 */
export interface ApiTokenRecord {
  /** Public key of the token (the Basic user name). */
  key: string;
  userId: number;
  /** A label the user chose ("laptop", "sensor-3"). */
  name: string;
  /** SHA-256 of the secret, hex. Secrets are random 32-byte strings, so a fast hash is enough. */
  secretHash: string;
  createdAt: number;
  revokedAt: number | null;
}

/**
 * An OAuth 1.0a consumer (an application registered with `timetric consumer create`) as stored.
 * Times are unix seconds.
 */
export interface ConsumerRecord {
  key: string;
  /** Stored as given: HMAC-SHA1 needs it. */
  secret: string;
  name: string;
  /** Default callback URL, if registered. */
  callback: string | null;
  createdAt: number;
}

/**
 * An OAuth 1.0a token as stored: a request token while the three-legged dance runs (authorized
 * once `userId` and `verifier` are set, consumed by the exchange), then an access token that
 * acts for `userId` until revoked. Times are unix seconds.
 */
export interface OAuthTokenRecord {
  token: string;
  secret: string;
  consumerKey: string;
  kind: 'request' | 'access';
  /** Set once the user authorized (request token) / the owner (access token). */
  userId: number | null;
  /** OAuth 1.0a callback given at request-token time, or 'oob'. */
  callback: string | null;
  /** OAuth 1.0a verifier issued at authorization. */
  verifier: string | null;
  createdAt: number;
  /** Unix seconds after which the token is invalid; null = never (access tokens). */
  expiresAt: number | null;
}

/**
 * The authentication half of a {@link Store}: users, API tokens, OAuth consumers and tokens, and
 * the OAuth nonce memory, shared by every server instance on one database. Both stores implement
 * it and pass the same conformance suite. Lookups of unknown keys give `undefined`.
 */
export interface AuthStore {
  /** Throws {@link StoreConflictError} when the name is taken. */
  createUser(name: string, passwordHash: string): Promise<UserRecord>;
  getUserByName(name: string): Promise<UserRecord | undefined>;
  getUserById(id: number): Promise<UserRecord | undefined>;
  /** The names of the users with these ids, in one lookup (ids of no user are left out). */
  getUserNames(ids: readonly number[]): Promise<Map<number, string>>;

  createApiToken(token: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'>): Promise<ApiTokenRecord>;
  getApiToken(key: string): Promise<ApiTokenRecord | undefined>;
  listApiTokens(userId?: number): Promise<ApiTokenRecord[]>;
  /** False when no such (unrevoked) token. */
  revokeApiToken(key: string): Promise<boolean>;

  createConsumer(consumer: Omit<ConsumerRecord, 'createdAt'>): Promise<ConsumerRecord>;
  getConsumer(key: string): Promise<ConsumerRecord | undefined>;
  listConsumers(): Promise<ConsumerRecord[]>;

  saveOAuthToken(token: Omit<OAuthTokenRecord, 'createdAt'>): Promise<OAuthTokenRecord>;
  getOAuthToken(token: string): Promise<OAuthTokenRecord | undefined>;
  updateOAuthToken(token: string, patch: Partial<Pick<OAuthTokenRecord, 'userId' | 'verifier'>>): Promise<void>;
  deleteOAuthToken(token: string): Promise<void>;
  /**
   * Deletes the request token `token` once a user has authorized it, and says whether this call
   * did: atomically, so of several exchanges of one token (on any instances sharing the database)
   * exactly one gets `true`. `false` for an unknown, unauthorized or already consumed token, or an
   * access token.
   */
  consumeRequestToken(token: string): Promise<boolean>;
  /** Access tokens (what users granted to consumers), oldest first; of one user when `userId` is given. */
  listOAuthAccessTokens(userId?: number): Promise<OAuthTokenRecord[]>;

  /**
   * Records a nonce for (consumer, token); false when that nonce was already used. Entries older
   * than `timestamp - windowSeconds` may be pruned. Shared by all instances on one database.
   */
  useNonce(consumerKey: string, token: string, nonce: string, timestamp: number, windowSeconds: number): Promise<boolean>;
}

/** The whole storage of a server. */
export interface Store extends SeriesStore, AuthStore {
  /** Brings the schema to the newest version (idempotent; safe with several instances). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}
