import type { PoolClient } from 'pg';
import { IDEMPOTENCY_PURGE_EVERY_SECONDS, type IdempotencyClaim } from '../IdempotencyClaim.js';

/**
 * The row of an `Idempotency-Key` seen for a series within the window, read inside the caller's
 * transaction (migration pg-005-idempotency). The caller holds the series' row lock, so a
 * concurrent write with the same key, on any instance, waits and then sees this one's row.
 */
export async function pgSeenKey(client: PoolClient, seriesId: string, claim: IdempotencyClaim): Promise<{ fingerprint: string; status: number } | undefined> {
  const res = await client.query<{ fingerprint: string; status: number }>({
    name: 'tt_idem_find',
    text: 'SELECT fingerprint, status FROM idempotency_keys WHERE series_id = $1 AND key = $2 AND created_at >= $3',
    values: [seriesId, claim.key, claim.now - claim.windowSeconds],
  });
  return res.rows[0];
}

let purgedAt = -Infinity;

/** Records a key inside the caller's transaction; purges expired keys at most once a minute per process. */
export async function pgRecordKey(client: PoolClient, seriesId: string, claim: IdempotencyClaim, status: number): Promise<void> {
  await client.query({
    name: 'tt_idem_insert',
    text: `INSERT INTO idempotency_keys (series_id, key, fingerprint, status, created_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (series_id, key) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status, created_at = excluded.created_at`,
    values: [seriesId, claim.key, claim.fingerprint, status, claim.now],
  });
  if (claim.now - purgedAt >= IDEMPOTENCY_PURGE_EVERY_SECONDS) {
    purgedAt = claim.now;
    await client.query({ name: 'tt_idem_purge', text: 'DELETE FROM idempotency_keys WHERE created_at < $1', values: [claim.now - claim.windowSeconds] });
  }
}
