import type { ApiTokenRecord, ConsumerRecord, OAuthTokenRecord, UserRecord } from './Store.js';

/*
 * Rows of the auth tables as both SQL stores read them (snake_case, unix-second REALs), and their
 * conversion to the records of the Store contract. One place, so the two stores cannot drift.
 */

export interface UserRow {
  id: number;
  name: string;
  password_hash: string;
  created_at: number;
}
export interface ApiTokenRow {
  key: string;
  user_id: number;
  name: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}
export interface ConsumerRow {
  key: string;
  secret: string;
  name: string;
  callback: string | null;
  created_at: number;
}
export interface OAuthTokenRow {
  token: string;
  secret: string;
  consumer_key: string;
  kind: 'request' | 'access';
  user_id: number | null;
  callback: string | null;
  verifier: string | null;
  created_at: number;
  expires_at: number | null;
}

export const user = (r: UserRow): UserRecord => ({ id: r.id, name: r.name, passwordHash: r.password_hash, createdAt: r.created_at });
export const apiToken = (r: ApiTokenRow): ApiTokenRecord => ({
  key: r.key,
  userId: r.user_id,
  name: r.name,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});
export const consumer = (r: ConsumerRow): ConsumerRecord => ({ key: r.key, secret: r.secret, name: r.name, callback: r.callback, createdAt: r.created_at });
export const oauthToken = (r: OAuthTokenRow): OAuthTokenRecord => ({
  token: r.token,
  secret: r.secret,
  consumerKey: r.consumer_key,
  kind: r.kind,
  userId: r.user_id,
  callback: r.callback,
  verifier: r.verifier,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});
