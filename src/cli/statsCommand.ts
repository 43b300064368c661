import { DEFAULT_CHUNK_STORE_OPTIONS } from '../server/store/chunks/chunkStoreOptions.js';
import type { CliIo, Command } from './Command.js';
import { CommandFailure } from './CommandFailure.js';
import { formatTable } from './formatTable.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { withStore } from './withStore.js';

/**
 * Head points above which a series' head counts as a backlog: twice the default `compactHeadAt`.
 * A head is compacted right after a write takes it to compactHeadAt, so one this large means its
 * compactions fail (the server logs each) or a server runs with a larger compactHeadAt.
 */
const HEAD_BACKLOG = 2 * DEFAULT_CHUNK_STORE_OPTIONS.compactHeadAt;

/** Bytes a point, two decimals; null for no points. */
const perPoint = (bytes: number, points: number): number | null => (points > 0 ? Math.round((bytes / points) * 100) / 100 : null);

/** `timetric stats [--series ID] [--json]`: how the points are stored, per series and in total. */
export const statsCommand: Command = {
  help: `Usage: timetric stats [--series ID] [--json] [--db FILE|URL]

Shows how the store holds its points, per series (oldest first) and in total: points, compressed
chunks, points still in the uncompressed head (compacted into chunks by size and age), bytes on
disk (point tables and their indexes; on SQLite each series' share of their pages, measured with
dbstat) and bytes a point; then the size of the whole database (SQLite: the file and its WAL).
Opening a database of the previous format moves its points into chunks first.

A series holding more than ${HEAD_BACKLOG.toLocaleString('en-US')} points in its head (twice the default compactHeadAt) is
named in a warning: its head compactions fail (the server logs each failure, "timetric store:
compacting the head of series key N failed …"), or the server runs with a larger compactHeadAt.

Options:
  --series ID       only this series
  --json            print {series: [{seriesId, points, chunks, headPoints, bytes, bytesPerPoint}],
                    total: {series, points, chunks, headPoints, bytes, bytesPerPoint}, databaseBytes,
                    headBacklog: [seriesId…]} (bytesPerPoint null without points)
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, series: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    return withStore(resolveDb(values.db, io.env), async (store) => {
      if (!store.storageStats) throw new CommandFailure('this store cannot report how it stores points (it has no storageStats)');
      if (values.series !== undefined && !(await store.getSeriesHead(values.series))) throw new CommandFailure(`no series ${values.series}`);
      const stats = await store.storageStats(values.series);
      const series = stats.series.map((s) => ({ ...s, bytesPerPoint: perPoint(s.bytes, s.points) }));
      const sum = (f: (s: (typeof series)[number]) => number): number => series.reduce((a, s) => a + f(s), 0);
      const total = { series: series.length, points: sum((s) => s.points), chunks: sum((s) => s.chunks), headPoints: sum((s) => s.headPoints), bytes: sum((s) => s.bytes) };
      const totals = { ...total, bytesPerPoint: perPoint(total.bytes, total.points) };
      const headBacklog = series.filter((s) => s.headPoints > HEAD_BACKLOG).map((s) => s.seriesId);
      if (values.json) {
        io.out(`${JSON.stringify({ series, total: totals, databaseBytes: stats.databaseBytes, headBacklog })}\n`);
        return 0;
      }
      const n = (x: number): string => x.toLocaleString('en-US');
      const b = (x: number | null): string => (x === null ? '-' : x.toFixed(2));
      const row = (name: string, s: Omit<(typeof series)[number], 'seriesId'>): string[] => [name, n(s.points), n(s.chunks), n(s.headPoints), n(s.bytes), b(s.bytesPerPoint)];
      const table = [['SERIES', 'POINTS', 'CHUNKS', 'HEAD', 'BYTES', 'B/POINT'], ...series.map((s) => row(s.seriesId, s))];
      if (values.series === undefined) table.push(row(`total (${n(total.series)} series)`, totals));
      io.out(formatTable(table));
      io.out(`database: ${n(stats.databaseBytes)} bytes${values.series === undefined && total.points > 0 ? ` (${b(perPoint(stats.databaseBytes, total.points))} B/point)` : ''}\n`);
      if (headBacklog.length > 0) {
        const names = headBacklog.length > 10 ? `${headBacklog.slice(0, 10).join(', ')} and ${n(headBacklog.length - 10)} more` : headBacklog.join(', ');
        io.out(
          `warning: ${n(headBacklog.length)} series hold more than ${n(HEAD_BACKLOG)} points in the head (${names}): their compaction is failing (see the server log) or the server's compactHeadAt is larger\n`,
        );
      }
      return 0;
    });
  },
};
