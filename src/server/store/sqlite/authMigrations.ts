import type { Migration } from './Migration.js';

/** Users, API tokens, OAuth consumers, OAuth tokens and used nonces. */
export const authMigrations: Migration[] = [
  {
    name: 'auth-001',
    sql: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        created_at REAL NOT NULL
      );
      CREATE TABLE api_tokens (
        key TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users(id),
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        created_at REAL NOT NULL,
        revoked_at REAL
      );
      CREATE TABLE consumers (
        key TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        name TEXT NOT NULL,
        callback TEXT,
        created_at REAL NOT NULL
      );
      CREATE TABLE oauth_tokens (
        token TEXT PRIMARY KEY,
        secret TEXT NOT NULL,
        consumer_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        user_id INTEGER,
        callback TEXT,
        verifier TEXT,
        created_at REAL NOT NULL,
        expires_at REAL
      );
      CREATE TABLE nonces (
        consumer_key TEXT NOT NULL,
        token TEXT NOT NULL,
        nonce TEXT NOT NULL,
        ts REAL NOT NULL,
        PRIMARY KEY (consumer_key, token, nonce)
      ) WITHOUT ROWID;
      CREATE INDEX nonces_ts ON nonces(ts);
    `,
  },
  {
    // Listing a user's tokens, and sweeping expired request tokens, without a table scan.
    name: 'auth-002',
    sql: `
      CREATE INDEX api_tokens_user ON api_tokens(user_id);
      CREATE INDEX oauth_tokens_expiry ON oauth_tokens(expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
];
