import type { Pool } from 'pg';
import type { ApiTokenRecord, AuthStore, ConsumerRecord, OAuthTokenRecord, UserRecord } from '../Store.js';
import { StoreConflictError } from '../StoreConflictError.js';
import { apiToken, consumer, oauthToken, user, type ApiTokenRow, type ConsumerRow, type OAuthTokenRow, type UserRow } from '../authRows.js';
import { holdsNul } from './holdsNul.js';

const now = (): number => Date.now() / 1000;

const USER_COLUMNS = 'id, name, password_hash, created_at';
const TOKEN_COLUMNS = 'key, user_id, name, secret_hash, created_at, revoked_at';
const CONSUMER_COLUMNS = 'key, secret, name, callback, created_at';

/**
 * PostgreSQL text cannot hold U+0000, which callers may use in nonce keys (the OAuth routes mark
 * a one-shot token exchange with a NUL-prefixed pseudo-nonce). Escaping `\` and NUL is
 * injective, so distinct keys stay distinct.
 */
function escapeNul(text: string): string {
  return /[\\\0]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\0/g, '\\0') : text;
}

/** How often (in nonce timestamps, seconds) an instance sweeps old nonces and expired request tokens. */
const SWEEP_EVERY_SECONDS = 60;

/**
 * The auth half of the PostgreSQL store. Everything lives in the database, so every instance sees
 * the same users, tokens and nonces: the primary key of `nonces` makes a nonce replayed to another
 * instance fail its insert.
 */
export class PostgresAuthStore implements AuthStore {
  private lastSweep = 0;

  constructor(private readonly pool: Pool) {}

  async createUser(name: string, passwordHash: string): Promise<UserRecord> {
    try {
      const res = await this.pool.query<UserRow>(
        `INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) RETURNING ${USER_COLUMNS}`,
        [name, passwordHash, now()],
      );
      return user(res.rows[0]!);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new StoreConflictError(`user "${name}" already exists`, { cause: err });
      }
      throw err;
    }
  }

  async getUserByName(name: string): Promise<UserRecord | undefined> {
    if (holdsNul(name)) return undefined;
    const res = await this.pool.query<UserRow>({
      name: 'tt_user_by_name',
      text: `SELECT ${USER_COLUMNS} FROM users WHERE name = $1`,
      values: [name],
    });
    return res.rows[0] && user(res.rows[0]);
  }

  async getUserNames(ids: readonly number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map<number, string>();
    const res = await this.pool.query<{ id: number; name: string }>('SELECT id, name FROM users WHERE id = ANY($1::integer[])', [[...new Set(ids)]]);
    return new Map<number, string>(res.rows.map((r) => [r.id, r.name]));
  }

  async getUserById(id: number): Promise<UserRecord | undefined> {
    const res = await this.pool.query<UserRow>({
      name: 'tt_user_by_id',
      text: `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`,
      values: [id],
    });
    return res.rows[0] && user(res.rows[0]);
  }

  async createApiToken(t: Omit<ApiTokenRecord, 'createdAt' | 'revokedAt'>): Promise<ApiTokenRecord> {
    const res = await this.pool.query<ApiTokenRow>(
      `INSERT INTO api_tokens (key, user_id, name, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${TOKEN_COLUMNS}`,
      [t.key, t.userId, t.name, t.secretHash, now()],
    );
    return apiToken(res.rows[0]!);
  }

  async getApiToken(key: string): Promise<ApiTokenRecord | undefined> {
    if (holdsNul(key)) return undefined;
    const res = await this.pool.query<ApiTokenRow>({
      name: 'tt_api_token',
      text: `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE key = $1`,
      values: [key],
    });
    return res.rows[0] && apiToken(res.rows[0]);
  }

  async listApiTokens(userId?: number): Promise<ApiTokenRecord[]> {
    const res =
      userId === undefined
        ? await this.pool.query<ApiTokenRow>(`SELECT ${TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at, seq`)
        : await this.pool.query<ApiTokenRow>(
            `SELECT ${TOKEN_COLUMNS} FROM api_tokens WHERE user_id = $1 ORDER BY created_at, seq`,
            [userId],
          );
    return res.rows.map(apiToken);
  }

  async revokeApiToken(key: string): Promise<boolean> {
    const res = await this.pool.query('UPDATE api_tokens SET revoked_at = $1 WHERE key = $2 AND revoked_at IS NULL', [
      now(),
      key,
    ]);
    return res.rowCount === 1;
  }

  async createConsumer(c: Omit<ConsumerRecord, 'createdAt'>): Promise<ConsumerRecord> {
    const res = await this.pool.query<ConsumerRow>(
      `INSERT INTO consumers (key, secret, name, callback, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ${CONSUMER_COLUMNS}`,
      [c.key, c.secret, c.name, c.callback, now()],
    );
    return consumer(res.rows[0]!);
  }

  async getConsumer(key: string): Promise<ConsumerRecord | undefined> {
    if (holdsNul(key)) return undefined;
    const res = await this.pool.query<ConsumerRow>({
      name: 'tt_consumer',
      text: `SELECT ${CONSUMER_COLUMNS} FROM consumers WHERE key = $1`,
      values: [key],
    });
    return res.rows[0] && consumer(res.rows[0]);
  }

  async listConsumers(): Promise<ConsumerRecord[]> {
    const res = await this.pool.query<ConsumerRow>(`SELECT ${CONSUMER_COLUMNS} FROM consumers ORDER BY created_at, seq`);
    return res.rows.map(consumer);
  }

  async saveOAuthToken(t: Omit<OAuthTokenRecord, 'createdAt'>): Promise<OAuthTokenRecord> {
    const res = await this.pool.query<OAuthTokenRow>(
      `INSERT INTO oauth_tokens (token, secret, consumer_key, kind, user_id, callback, verifier, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [t.token, t.secret, t.consumerKey, t.kind, t.userId, t.callback, t.verifier, now(), t.expiresAt],
    );
    return oauthToken(res.rows[0]!);
  }

  async getOAuthToken(token: string): Promise<OAuthTokenRecord | undefined> {
    if (holdsNul(token)) return undefined;
    const res = await this.pool.query<OAuthTokenRow>({
      name: 'tt_oauth_token',
      text: 'SELECT * FROM oauth_tokens WHERE token = $1',
      values: [token],
    });
    return res.rows[0] && oauthToken(res.rows[0]);
  }

  async updateOAuthToken(token: string, patch: Partial<Pick<OAuthTokenRecord, 'userId' | 'verifier'>>): Promise<void> {
    const sets: string[] = [];
    const values: unknown[] = [];
    if (patch.userId !== undefined) {
      values.push(patch.userId);
      sets.push(`user_id = $${values.length}`);
    }
    if (patch.verifier !== undefined) {
      values.push(patch.verifier);
      sets.push(`verifier = $${values.length}`);
    }
    if (sets.length === 0) return;
    values.push(token);
    await this.pool.query(`UPDATE oauth_tokens SET ${sets.join(', ')} WHERE token = $${values.length}`, values);
  }

  async deleteOAuthToken(token: string): Promise<void> {
    await this.pool.query('DELETE FROM oauth_tokens WHERE token = $1', [token]);
  }

  async consumeRequestToken(token: string): Promise<boolean> {
    if (holdsNul(token)) return false;
    // The row lock decides, for every instance: a second DELETE finds the row gone and deletes nothing.
    const res = await this.pool.query({
      name: 'tt_consume_request_token',
      text: "DELETE FROM oauth_tokens WHERE token = $1 AND kind = 'request' AND user_id IS NOT NULL",
      values: [token],
    });
    return res.rowCount === 1;
  }

  async listOAuthAccessTokens(userId?: number): Promise<OAuthTokenRecord[]> {
    const res =
      userId === undefined
        ? await this.pool.query<OAuthTokenRow>("SELECT * FROM oauth_tokens WHERE kind = 'access' ORDER BY created_at, token")
        : await this.pool.query<OAuthTokenRow>("SELECT * FROM oauth_tokens WHERE kind = 'access' AND user_id = $1 ORDER BY created_at, token", [userId]);
    return res.rows.map(oauthToken);
  }

  async useNonce(consumerKey: string, token: string, nonce: string, timestamp: number, windowSeconds: number): Promise<boolean> {
    if (timestamp - this.lastSweep >= SWEEP_EVERY_SECONDS) {
      this.lastSweep = timestamp;
      await this.pool.query('DELETE FROM nonces WHERE ts < $1', [timestamp - windowSeconds]);
      await this.pool.query('DELETE FROM oauth_tokens WHERE expires_at IS NOT NULL AND expires_at < $1', [now()]);
    }
    // The primary key decides, atomically and for every instance: a second insert does nothing.
    const res = await this.pool.query({
      name: 'tt_use_nonce',
      text: 'INSERT INTO nonces (consumer_key, token, nonce, ts) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      values: [escapeNul(consumerKey), escapeNul(token), escapeNul(nonce), timestamp],
    });
    return res.rowCount === 1;
  }
}
