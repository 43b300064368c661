import type { Database } from 'better-sqlite3';
import type { ApiTokenRecord, AuthStore, ConsumerRecord, OAuthTokenRecord, UserRecord } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';

const now = (): number => Date.now() / 1000;

interface UserRow { id: number; name: string; password_hash: string; created_at: number }
interface TokenRow { key: string; user_id: number; name: string; secret_hash: string; created_at: number; revoked_at: number | null }
interface ConsumerRow { key: string; secret: string; name: string; callback: string | null; created_at: number }
interface OAuthRow {
  token: string; secret: string; consumer_key: string; kind: 'request' | 'access'; user_id: number | null;
  callback: string | null; verifier: string | null; created_at: number; expires_at: number | null;
}

const user = (r: UserRow): UserRecord => ({ id: r.id, name: r.name, passwordHash: r.password_hash, createdAt: r.created_at });
const token = (r: TokenRow): ApiTokenRecord => ({
  key: r.key, userId: r.user_id, name: r.name, secretHash: r.secret_hash, createdAt: r.created_at, revokedAt: r.revoked_at,
});
const consumer = (r: ConsumerRow): ConsumerRecord => ({ key: r.key, secret: r.secret, name: r.name, callback: r.callback, createdAt: r.created_at });
const oauth = (r: OAuthRow): OAuthTokenRecord => ({
  token: r.token, secret: r.secret, consumerKey: r.consumer_key, kind: r.kind, userId: r.user_id,
  callback: r.callback, verifier: r.verifier, createdAt: r.created_at, expiresAt: r.expires_at,
});

/** The auth half of the SQLite store (users, API tokens, OAuth consumers/tokens, nonces). */
export class SqliteAuthStore implements AuthStore {
  constructor(private readonly db: Database) {}

  createUser(name: string, passwordHash: string): Promise<UserRecord> {
    const createdAt = now();
    try {
      const r = this.db.prepare('INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)').run(name, passwordHash, createdAt);
      return Promise.resolve({ id: Number(r.lastInsertRowid), name, passwordHash, createdAt });
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        return Promise.reject(new StoreConflictError(`user name ${JSON.stringify(name)} is taken`));
      }
      return Promise.reject(err as Error);
    }
  }

  getUserByName(name: string): Promise<UserRecord | undefined> {
    const r = this.db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?').get(name);
    return Promise.resolve(r && user(r));
  }

  getUserById(id: number): Promise<UserRecord | undefined> {
    const r = this.db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return Promise.resolve(r && user(r));
  }

  createApiToken(t: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'>): Promise<ApiTokenRecord> {
    const createdAt = now();
    this.db
      .prepare('INSERT INTO api_tokens (key, user_id, name, secret_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(t.key, t.userId, t.name, t.secretHash, createdAt);
    return Promise.resolve({ ...t, createdAt, revokedAt: null });
  }

  getApiToken(key: string): Promise<ApiTokenRecord | undefined> {
    const r = this.db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE key = ?').get(key);
    return Promise.resolve(r && token(r));
  }

  listApiTokens(userId?: number): Promise<ApiTokenRecord[]> {
    const rows =
      userId === undefined
        ? this.db.prepare<[], TokenRow>('SELECT * FROM api_tokens ORDER BY created_at').all()
        : this.db.prepare<[number], TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at').all(userId);
    return Promise.resolve(rows.map(token));
  }

  revokeApiToken(key: string): Promise<boolean> {
    const r = this.db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE key = ? AND revoked_at IS NULL').run(now(), key);
    return Promise.resolve(r.changes > 0);
  }

  createConsumer(c: Omit<ConsumerRecord, 'createdAt'>): Promise<ConsumerRecord> {
    const createdAt = now();
    this.db
      .prepare('INSERT INTO consumers (key, secret, name, callback, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(c.key, c.secret, c.name, c.callback, createdAt);
    return Promise.resolve({ ...c, createdAt });
  }

  getConsumer(key: string): Promise<ConsumerRecord | undefined> {
    const r = this.db.prepare<[string], ConsumerRow>('SELECT * FROM consumers WHERE key = ?').get(key);
    return Promise.resolve(r && consumer(r));
  }

  listConsumers(): Promise<ConsumerRecord[]> {
    return Promise.resolve(this.db.prepare<[], ConsumerRow>('SELECT * FROM consumers ORDER BY created_at').all().map(consumer));
  }

  saveOAuthToken(t: Omit<OAuthTokenRecord, 'createdAt'>): Promise<OAuthTokenRecord> {
    const createdAt = now();
    this.db
      .prepare(
        `INSERT INTO oauth_tokens (token, secret, consumer_key, kind, user_id, callback, verifier, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.token, t.secret, t.consumerKey, t.kind, t.userId, t.callback, t.verifier, createdAt, t.expiresAt);
    return Promise.resolve({ ...t, createdAt });
  }

  getOAuthToken(t: string): Promise<OAuthTokenRecord | undefined> {
    const r = this.db.prepare<[string], OAuthRow>('SELECT * FROM oauth_tokens WHERE token = ?').get(t);
    return Promise.resolve(r && oauth(r));
  }

  updateOAuthToken(t: string, patch: Partial<Pick<OAuthTokenRecord, 'userId' | 'verifier'>>): Promise<void> {
    if (patch.userId !== undefined) this.db.prepare('UPDATE oauth_tokens SET user_id = ? WHERE token = ?').run(patch.userId, t);
    if (patch.verifier !== undefined) this.db.prepare('UPDATE oauth_tokens SET verifier = ? WHERE token = ?').run(patch.verifier, t);
    return Promise.resolve();
  }

  deleteOAuthToken(t: string): Promise<void> {
    this.db.prepare('DELETE FROM oauth_tokens WHERE token = ?').run(t);
    return Promise.resolve();
  }

  useNonce(consumerKey: string, t: string, nonce: string, timestamp: number, windowSeconds: number): Promise<boolean> {
    const fresh = this.db.transaction(() => {
      this.db.prepare('DELETE FROM nonces WHERE ts < ?').run(timestamp - 2 * windowSeconds);
      return (
        this.db.prepare('INSERT OR IGNORE INTO nonces (consumer_key, token, nonce, ts) VALUES (?, ?, ?, ?)').run(consumerKey, t, nonce, timestamp)
          .changes > 0
      );
    })();
    return Promise.resolve(fresh);
  }
}
