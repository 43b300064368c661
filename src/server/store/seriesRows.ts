import type { SeriesHead, SeriesRecord, SeriesSummary } from '../Store.js';

/** Row shapes of `series` as the PostgreSQL store selects them, and their conversion to records. */
export interface HeadRow {
  id: string;
  owner_id: number;
  public: boolean;
  version: string;
}

export interface SummaryRow extends HeadRow {
  title: string;
  caption: string;
  description: string | null;
  tags: string[];
  created_at: number;
}

export interface SeriesRow extends SummaryRow {
  extra: Record<string, string>;
}

export const SERIES_COLUMNS = 'id, owner_id, title, caption, description, tags, public, extra, created_at, version';
export const SUMMARY_COLUMNS = 'id, owner_id, title, caption, description, tags, public, created_at, version';

export const toHead = (row: HeadRow): SeriesHead => ({ id: row.id, ownerId: row.owner_id, public: row.public, version: Number(row.version) });

export function toSummary(row: SummaryRow): SeriesSummary {
  return {
    ...toHead(row),
    title: row.title,
    caption: row.caption,
    description: row.description,
    tags: row.tags,
    createdAt: row.created_at,
  };
}

export const toRecord = (row: SeriesRow): SeriesRecord => ({ ...toSummary(row), extra: row.extra });
