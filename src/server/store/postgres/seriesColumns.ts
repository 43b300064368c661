/** The columns of `series` the PostgreSQL store selects for a whole record (see `toRecord`). */
export const SERIES_COLUMNS = 'id, owner_id, title, caption, description, tags, public, extra, created_at, version';
/** The columns it selects for a search list entry (see `toSummary`). */
export const SUMMARY_COLUMNS = 'id, owner_id, title, caption, description, tags, public, created_at, version';
