import { formatIsoTime, formatValue } from '../index.js';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { CommandFailure } from './CommandFailure.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/** `timetric tail ID [--interval MS] [--mode auto|poll|push]`: one line per change of the latest point. */
export const tailCommand: Command = {
  name: 'tail',
  summary: 'follow the latest point of a series, one line per change',
  help: `Usage: timetric tail ID [--interval MS] [--mode auto|poll|push] [--iso]

Follows the latest point of series ID (the library's watch()/latest$) and prints one "time,value"
line each time it changes, until interrupted (Ctrl-C, exit code 0).

Options:
  --interval MS     polling interval in milliseconds (default: the library's)
  --mode MODE       auto (default) or poll; both poll with ETags today (push: not yet)
  --iso             times as ISO 8601 UTC instead of unix seconds
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...CLIENT_OPTIONS, interval: { type: 'string' }, mode: { type: 'string' }, iso: { type: 'boolean' } },
      1,
    );
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const id = positionals[0];
    if (id === undefined) throw new UsageError('missing the series ID');
    const mode = values.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'poll' && mode !== 'push') throw new UsageError(`--mode must be auto, poll or push, not "${mode}"`);
    const intervalMs = values.interval === undefined ? undefined : Number(values.interval);
    if (intervalMs !== undefined && !(Number.isFinite(intervalMs) && intervalMs > 0)) throw new UsageError(`--interval must be a positive number of milliseconds, not "${values.interval}"`);
    const client = clientFrom(values, io);
    return withClientErrors(this.name, io, async () => {
      // The library follows by polling with ETags (no push transport yet): auto and poll are the same.
      if (mode === 'push') throw new CommandFailure('--mode push: the client has no push transport yet; use auto or poll');
      const latest = client.series(id).watch(intervalMs !== undefined ? { intervalMs } : {});
      await new Promise<void>((resolve, reject) => {
        const sub = latest.subscribe({
          next: (p) => {
            if (p !== null) io.out(`${values.iso ? formatIsoTime(p[0]) : p[0]},${formatValue(p[1])}\n`);
          },
          error: reject,
          complete: resolve,
        });
        const stop = (): void => {
          sub.unsubscribe();
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        io.outClosed.addEventListener('abort', stop); // the reader left (| head): exit 0
      });
      return 0;
    });
  },
};
