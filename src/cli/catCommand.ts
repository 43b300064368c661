import { type Point, formatCsv, formatIsoTime } from '../index.js';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/** A time flag: unix seconds as a number, else the text (ISO 8601). */
const timeArg = (text: string): string | number => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);

/** `timetric cat ID [--start T] [--end T] [--format csv|json]`: prints a series' points. */
export const catCommand: Command = {
  name: 'cat',
  summary: 'print the points of a series (CSV or JSON lines)',
  help: `Usage: timetric cat ID [--start TIME] [--end TIME] [--format csv|json] [--iso]

Prints the points of series ID, oldest first, read page by page (never all in memory).
TIME is unix seconds or ISO 8601 UTC; START is included, END excluded.

Options:
  --start TIME      first time
  --end TIME        end (excluded)
  --format FORMAT   csv (default: "time,value" lines) or json (one [time, value] array per line)
  --iso             times as ISO 8601 UTC instead of unix seconds
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...CLIENT_OPTIONS, start: { type: 'string' }, end: { type: 'string' }, format: { type: 'string' }, iso: { type: 'boolean' } },
      1,
    );
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const id = positionals[0];
    if (id === undefined) throw new UsageError('missing the series ID');
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not "${format}"`);
    const client = clientFrom(values, io);
    return withClientErrors(this.name, io, async () => {
      const pages = client.series(id).values({
        ...(values.start !== undefined ? { start: timeArg(values.start) } : {}),
        ...(values.end !== undefined ? { end: timeArg(values.end) } : {}),
      });
      const out = (batch: Point[]): void => {
        if (batch.length === 0) return;
        if (format === 'csv') io.out(formatCsv(batch, values.iso ? 'iso' : 'unix'));
        else io.out(batch.map(([t, v]) => `${JSON.stringify([values.iso ? formatIsoTime(t) : t, v])}\n`).join(''));
      };
      let batch: Point[] = [];
      await new Promise<void>((resolve, reject) => {
        pages.subscribe({
          next: (p) => {
            batch.push(p);
            if (batch.length >= 8_000) {
              out(batch);
              batch = [];
            }
          },
          error: reject,
          complete: resolve,
        });
      });
      out(batch);
      return 0;
    });
  },
};
