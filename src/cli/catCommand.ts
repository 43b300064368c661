import { formatCsv, formatIsoTime, parseTime } from '../index.js';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { parseCommandArgs, seriesIdArg } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/** Points per request, and per write to stdout. */
const CAT_PAGE_POINTS = 20_000;

/** A time flag (unix seconds or ISO 8601 UTC) as unix seconds; a usage error when it is neither. */
function timeFlag(flag: string, text: string): number {
  try {
    return parseTime(/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
  } catch (err) {
    throw new UsageError(`${flag}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** `timetric cat ID [--start T] [--end T] [--format csv|json]`: prints a series' points. */
export const catCommand: Command = {
  help: `Usage: timetric cat ID [--start TIME] [--end TIME] [--format csv|json] [--iso]

Prints the points of series ID, oldest first, read page by page as fast as the output is taken
(never all in memory). When the reader stops early (timetric cat ID | head), cat stops too,
quietly, with exit code 0. TIME is unix seconds or ISO 8601 UTC.

Options:
  --start TIME      first time (included)
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
    const id = seriesIdArg(positionals[0]);
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') throw new UsageError(`--format must be csv or json, not "${format}"`);
    const range = {
      ...(values.start !== undefined ? { start: timeFlag('--start', values.start) } : {}),
      ...(values.end !== undefined ? { end: timeFlag('--end', values.end) } : {}),
    };
    const client = clientFrom(values, io);
    return withClientErrors('cat', io, async () => {
      // Pages are pulled one at a time, and the next one only once stdout has taken this one: a
      // slow reader slows the reading down, and memory holds one page whatever the series' size.
      for await (const page of client.series(id).pages({ ...range, pageSize: CAT_PAGE_POINTS })) {
        if (io.outClosed.aborted) break;
        if (format === 'csv') io.out(formatCsv(page, values.iso ? 'iso' : 'unix'));
        else io.out(page.map(([t, v]) => `${JSON.stringify([values.iso ? formatIsoTime(t) : t, v])}\n`).join(''));
        await io.drained();
        if (io.outClosed.aborted) break; // the reader left (| head): stop quietly, exit 0
      }
      return 0;
    });
  },
};
