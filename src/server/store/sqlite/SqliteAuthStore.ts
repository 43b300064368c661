import type { Database, Statement } from 'better-sqlite3';
import type { ApiTokenRecord, AuthStore, ConsumerRecord, OAuthTokenRecord, UserRecord } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { apiToken, consumer, oauthToken, user, type ApiTokenRow, type ConsumerRow, type OAuthTokenRow, type UserRow } from '../authRows.js';

const now = (): number => Date.now() / 1000;

/** How often (in nonce timestamps, seconds) old nonces and expired request tokens are swept. */
const SWEEP_EVERY_SECONDS = 60;

/**
 * The auth half of the SQLite store: users, API tokens, OAuth consumers, OAuth tokens and used
 * nonces, on the tables of {@link authMigrations} (which must have been applied: statements are
 * prepared in the constructor).
 *
 * @example
 * ```ts
 * const db = new Database(':memory:');
 * migrateSqlite(db, authMigrations);
 * const auth = new SqliteAuthStore(db);
 * ```
 */
export class SqliteAuthStore implements AuthStore {
  private lastSweep = 0;
  private readonly q: {
    insertUser: Statement<[string, string, number], UserRow>;
    userByName: Statement<[string], UserRow>;
    userById: Statement<[number], UserRow>;
    userNames: Statement<[string], { id: number; name: string }>;
    insertToken: Statement<[string, number, string, string, number], ApiTokenRow>;
    tokenByKey: Statement<[string], ApiTokenRow>;
    allTokens: Statement<[], ApiTokenRow>;
    userTokens: Statement<[number], ApiTokenRow>;
    revokeToken: Statement<[number, string]>;
    insertConsumer: Statement<[string, string, string, string | null, number], ConsumerRow>;
    consumerByKey: Statement<[string], ConsumerRow>;
    allConsumers: Statement<[], ConsumerRow>;
    insertOAuth: Statement<unknown[], OAuthTokenRow>;
    oauthByToken: Statement<[string], OAuthTokenRow>;
    deleteOAuth: Statement<[string]>;
    consumeRequest: Statement<[string]>;
    sweepOAuth: Statement<[number]>;
    accessTokens: Statement<[], OAuthTokenRow>;
    userAccessTokens: Statement<[number], OAuthTokenRow>;
    insertNonce: Statement<[string, string, string, number]>;
    sweepNonces: Statement<[number]>;
  };

  constructor(private readonly db: Database) {
    this.q = {
      insertUser: db.prepare('INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?) RETURNING *'),
      userByName: db.prepare('SELECT * FROM users WHERE name = ?'),
      userById: db.prepare('SELECT * FROM users WHERE id = ?'),
      userNames: db.prepare('SELECT id, name FROM users WHERE id IN (SELECT value FROM json_each(?))'),
      insertToken: db.prepare(
        'INSERT INTO api_tokens (key, user_id, name, secret_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
      ),
      tokenByKey: db.prepare('SELECT * FROM api_tokens WHERE key = ?'),
      allTokens: db.prepare('SELECT * FROM api_tokens ORDER BY created_at, rowid'),
      userTokens: db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at, rowid'),
      revokeToken: db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE key = ? AND revoked_at IS NULL'),
      insertConsumer: db.prepare(
        'INSERT INTO consumers (key, secret, name, callback, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
      ),
      consumerByKey: db.prepare('SELECT * FROM consumers WHERE key = ?'),
      allConsumers: db.prepare('SELECT * FROM consumers ORDER BY created_at, rowid'),
      insertOAuth: db.prepare(
        `INSERT INTO oauth_tokens (token, secret, consumer_key, kind, user_id, callback, verifier, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      ),
      oauthByToken: db.prepare('SELECT * FROM oauth_tokens WHERE token = ?'),
      deleteOAuth: db.prepare('DELETE FROM oauth_tokens WHERE token = ?'),
      consumeRequest: db.prepare("DELETE FROM oauth_tokens WHERE token = ? AND kind = 'request' AND user_id IS NOT NULL"),
      sweepOAuth: db.prepare('DELETE FROM oauth_tokens WHERE expires_at IS NOT NULL AND expires_at < ?'),
      accessTokens: db.prepare("SELECT * FROM oauth_tokens WHERE kind = 'access' ORDER BY created_at, rowid"),
      userAccessTokens: db.prepare("SELECT * FROM oauth_tokens WHERE kind = 'access' AND user_id = ? ORDER BY created_at, rowid"),
      insertNonce: db.prepare('INSERT OR IGNORE INTO nonces (consumer_key, token, nonce, ts) VALUES (?, ?, ?, ?)'),
      sweepNonces: db.prepare('DELETE FROM nonces WHERE ts < ?'),
    };
  }

  createUser(name: string, passwordHash: string): Promise<UserRecord> {
    return this.run(() => {
      try {
        return user(this.q.insertUser.get(name, passwordHash, now())!);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new StoreConflictError(`user "${name}" already exists`, { cause: err });
        }
        throw err;
      }
    });
  }

  getUserByName(name: string): Promise<UserRecord | undefined> {
    const row = this.q.userByName.get(name);
    return Promise.resolve(row && user(row));
  }

  getUserNames(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return Promise.resolve(new Map<number, string>());
    return this.run(() => new Map<number, string>(this.q.userNames.all(JSON.stringify([...new Set(ids)])).map((r) => [r.id, r.name])));
  }

  getUserById(id: number): Promise<UserRecord | undefined> {
    const row = this.q.userById.get(id);
    return Promise.resolve(row && user(row));
  }

  createApiToken(token: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'>): Promise<ApiTokenRecord> {
    return this.run(() => apiToken(this.q.insertToken.get(token.key, token.userId, token.name, token.secretHash, now())!));
  }

  getApiToken(key: string): Promise<ApiTokenRecord | undefined> {
    const row = this.q.tokenByKey.get(key);
    return Promise.resolve(row && apiToken(row));
  }

  listApiTokens(userId?: number): Promise<ApiTokenRecord[]> {
    const rows = userId === undefined ? this.q.allTokens.all() : this.q.userTokens.all(userId);
    return Promise.resolve(rows.map(apiToken));
  }

  revokeApiToken(key: string): Promise<boolean> {
    return Promise.resolve(this.q.revokeToken.run(now(), key).changes > 0);
  }

  createConsumer(c: Omit<ConsumerRecord, 'createdAt'>): Promise<ConsumerRecord> {
    return this.run(() => consumer(this.q.insertConsumer.get(c.key, c.secret, c.name, c.callback, now())!));
  }

  getConsumer(key: string): Promise<ConsumerRecord | undefined> {
    const row = this.q.consumerByKey.get(key);
    return Promise.resolve(row && consumer(row));
  }

  listConsumers(): Promise<ConsumerRecord[]> {
    return Promise.resolve(this.q.allConsumers.all().map(consumer));
  }

  saveOAuthToken(t: Omit<OAuthTokenRecord, 'createdAt'>): Promise<OAuthTokenRecord> {
    return this.run(() =>
      oauthToken(
        this.q.insertOAuth.get(t.token, t.secret, t.consumerKey, t.kind, t.userId, t.callback, t.verifier, now(), t.expiresAt)!,
      ),
    );
  }

  getOAuthToken(token: string): Promise<OAuthTokenRecord | undefined> {
    const row = this.q.oauthByToken.get(token);
    return Promise.resolve(row && oauthToken(row));
  }

  updateOAuthToken(token: string, patch: Partial<Pick<OAuthTokenRecord, 'userId' | 'verifier'>>): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    if (patch.userId !== undefined) {
      sets.push('user_id = ?');
      values.push(patch.userId);
    }
    if (patch.verifier !== undefined) {
      sets.push('verifier = ?');
      values.push(patch.verifier);
    }
    if (sets.length === 0) return Promise.resolve();
    return this.run(() => {
      this.db.prepare(`UPDATE oauth_tokens SET ${sets.join(', ')} WHERE token = ?`).run(...values, token);
    });
  }

  deleteOAuthToken(token: string): Promise<void> {
    this.q.deleteOAuth.run(token);
    return Promise.resolve();
  }

  consumeRequestToken(token: string): Promise<boolean> {
    // One statement: of two exchanges on one database file, only one deletes the row.
    return this.run(() => this.q.consumeRequest.run(token).changes === 1);
  }

  listOAuthAccessTokens(userId?: number): Promise<OAuthTokenRecord[]> {
    const rows =
      userId === undefined
        ? this.q.accessTokens.all()
        : this.q.userAccessTokens.all(userId);
    return Promise.resolve(rows.map(oauthToken));
  }

  useNonce(consumerKey: string, token: string, nonce: string, timestamp: number, windowSeconds: number): Promise<boolean> {
    return this.run(() => {
      if (timestamp - this.lastSweep >= SWEEP_EVERY_SECONDS) {
        this.lastSweep = timestamp;
        this.q.sweepNonces.run(timestamp - windowSeconds);
        this.q.sweepOAuth.run(now());
      }
      return this.q.insertNonce.run(consumerKey, token, nonce, timestamp).changes === 1;
    });
  }

  /** Runs synchronous SQLite work, turning a throw into a rejection. */
  private run<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
