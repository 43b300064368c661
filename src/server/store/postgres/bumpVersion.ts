import type { PoolClient } from 'pg';

/**
 * Bumps the version of a series and so takes its row lock: every write to a series' points takes
 * it first (compaction takes the same lock without the bump), so writers of one series, on any
 * instance, queue up and never merge into the same chunks at once; under READ COMMITTED each later
 * statement of the transaction then sees what the previous holder committed.
 *
 * @returns The new version, or undefined when the series does not exist.
 */
export async function bumpVersion(client: PoolClient, id: string): Promise<number | undefined> {
  const res = await client.query<[string]>({
    name: 'tt_bump',
    text: 'UPDATE series SET version = version + 1 WHERE id = $1 RETURNING version',
    values: [id],
    rowMode: 'array',
  });
  const row = res.rows[0];
  return row && Number(row[0]);
}
