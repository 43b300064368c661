import type { PoolClient } from 'pg';

/**
 * Records, inside the write's transaction (the series' row is locked already), that `n` points went
 * into the head: `head_points` grows (an upper bound of the head's size: replaced points count
 * again) and `head_since` keeps the time of the first head write since the last compaction, by the
 * database's clock (one clock for every instance). Returns the new `head_points`.
 */
export async function noteHeadPoints(client: PoolClient, id: string, n: number): Promise<number> {
  const res = await client.query<[number]>({
    name: 'tt_note_head',
    text: `UPDATE series SET head_points = head_points + $2,
        head_since = coalesce(head_since, extract(epoch from clock_timestamp())) WHERE id = $1 RETURNING head_points`,
    values: [id, n],
    rowMode: 'array',
  });
  return res.rows[0]?.[0] ?? 0;
}
