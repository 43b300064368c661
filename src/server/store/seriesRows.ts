import type { SeriesHead, SeriesRecord, SeriesSummary } from './Store.js';

/**
 * A `series` row as either store selects it, and its conversion to records. The columns are the
 * same; their types differ by database: SQLite gives `public` as 0/1, `tags` and `extra` as JSON
 * text; PostgreSQL gives a boolean, a text array, jsonb and `version` as text (a bigint).
 */
export interface HeadRow {
  id: string;
  owner_id: number;
  public: boolean | number;
  version: number | string;
}

/** {@link HeadRow} plus what search lists show. */
export interface SummaryRow extends HeadRow {
  title: string;
  caption: string;
  description: string | null;
  tags: string[] | string;
  created_at: number;
}

/** {@link SummaryRow} plus the extra metadata fields. */
export interface SeriesRow extends SummaryRow {
  extra: Record<string, string> | string;
}

/** The head of a series (owner, visibility, version) from its row. */
export const toHead = (row: HeadRow): SeriesHead => ({ id: row.id, ownerId: row.owner_id, public: row.public === true || row.public === 1, version: Number(row.version) });

/** A search list entry from its row. */
export function toSummary(row: SummaryRow): SeriesSummary {
  const { id, ownerId, public: isPublic, version } = toHead(row);
  return {
    id,
    ownerId,
    title: row.title,
    caption: row.caption,
    description: row.description,
    tags: typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : row.tags,
    public: isPublic,
    createdAt: row.created_at,
    version,
  };
}

/** The whole record of a series from its row. */
export const toRecord = (row: SeriesRow): SeriesRecord => ({ ...toSummary(row), extra: typeof row.extra === 'string' ? (JSON.parse(row.extra) as Record<string, string>) : row.extra });
