import pg from 'pg';

/** Bytes of a PostgreSQL store's tables (indexes and TOAST included) as they are and once compacted. */
export interface PostgresBytes {
  /** Sum of `pg_total_relation_size` over every table of the `public` schema. */
  live: number;
  /** The same after the store's own compaction (when it has one) and `VACUUM FULL` of the database (every table rewritten without dead rows or free space). */
  compacted: number;
}

const SIZE = `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm')`;

/**
 * Measures every table of the store's database, so the figure follows whatever tables the store
 * keeps its points in (the difference of two measurements is what one series added); `compact`
 * (the store's own compaction, in the server process) runs between the live and compacted sizes.
 */
export async function postgresBytes(url: string, compact?: () => Promise<unknown>): Promise<PostgresBytes> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const bytes = async (): Promise<number> => Number((await client.query<{ bytes: string }>(SIZE)).rows[0]!.bytes);
    const live = await bytes();
    if (compact) await compact();
    await client.query('VACUUM FULL');
    return { live, compacted: await bytes() };
  } finally {
    await client.end();
  }
}
