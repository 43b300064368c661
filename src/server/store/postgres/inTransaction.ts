import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a transaction on a pooled client; rolls back on a throw; always releases (a
 * client whose ROLLBACK failed is destroyed, not reused). `begin` is the opening statement, e.g.
 * `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` for a read that needs one snapshot.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (err) {
    let broken = false;
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    client.release(broken);
    throw err;
  }
}
