import type { Database, Statement } from 'better-sqlite3';
import { IDEMPOTENCY_PURGE_EVERY_SECONDS, type IdempotencyClaim } from '../IdempotencyClaim.js';

interface KeyRow {
  fingerprint: string;
  status: number;
}

/**
 * The `idempotency_keys` table of a SQLite store (migration series-005-idempotency): one row per
 * (series, key) with the request's fingerprint and the status it was answered with. Every method
 * runs inside the caller's transaction, so recording a key commits with the write it guards.
 * Keys older than the window are ignored and purged, at most once a minute, so the table holds
 * at most a window's worth of keys.
 */
export class SqliteIdempotencyKeys {
  private readonly find: Statement<[string, string, number], KeyRow>;
  private readonly insert: Statement<[string, string, string, number, number]>;
  private readonly purge: Statement<[number]>;
  private purgedAt = -Infinity;

  constructor(db: Database) {
    this.find = db.prepare('SELECT fingerprint, status FROM idempotency_keys WHERE series_id = ? AND key = ? AND created_at >= ?');
    this.insert = db.prepare('INSERT OR REPLACE INTO idempotency_keys (series_id, key, fingerprint, status, created_at) VALUES (?, ?, ?, ?, ?)');
    this.purge = db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
  }

  /** The row of a key seen within the window, if any. */
  seen(seriesId: string, claim: IdempotencyClaim): KeyRow | undefined {
    return this.find.get(seriesId, claim.key, claim.now - claim.windowSeconds);
  }

  /** Records the key with the status it is answered with; purges expired keys now and then. */
  record(seriesId: string, claim: IdempotencyClaim, status: number): void {
    this.insert.run(seriesId, claim.key, claim.fingerprint, status, claim.now);
    if (claim.now - this.purgedAt >= IDEMPOTENCY_PURGE_EVERY_SECONDS) {
      this.purgedAt = claim.now;
      this.purge.run(claim.now - claim.windowSeconds);
    }
  }
}
