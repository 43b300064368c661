/** One schema step. Applied once, in list order, recorded in `schema_migrations` by name. */
export interface Migration {
  name: string;
  sql: string;
}
