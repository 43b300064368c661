import { lastValueFrom, Subscription } from 'rxjs';
import { formatIsoTime, formatValue, isPushUnavailable } from '../index.js';
import { CommandFailure } from './CommandFailure.js';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { parseCommandArgs, seriesIdArg } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/** `timetric tail ID [--mode auto|push|poll] [--interval MS] [--iso] [--verbose]`: one line per change of the latest point. */
export const tailCommand: Command = {
  help: `Usage: timetric tail ID [--mode auto|push|poll] [--interval MS] [--iso] [--verbose]

Follows the latest point of series ID (the library's live()/latest$) and prints one "time,value"
line each time it changes, until interrupted (Ctrl-C, exit code 0). A dropped connection is
reopened with backoff; a server that cannot be reached at the start, an unknown series or refused
credentials end it with one line and exit codes 1, 3, 3.

Options:
  --mode MODE       push (Server-Sent Events), poll (value/json/ with ETags), or auto (default):
                    push when the server offers it, polling when not and while push reconnects
  --interval MS     polling interval, and first reconnect delay, in milliseconds (default 5000)
  --iso             times as ISO 8601 UTC instead of unix seconds
  --verbose         say on stderr which transport delivers (push or poll) each time it changes
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...CLIENT_OPTIONS, interval: { type: 'string' }, mode: { type: 'string' }, iso: { type: 'boolean' }, verbose: { type: 'boolean' } },
      1,
    );
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const id = seriesIdArg(positionals[0]);
    const mode = values.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'poll' && mode !== 'push') throw new UsageError(`--mode must be auto, poll or push, not "${mode}"`);
    const intervalMs = values.interval === undefined ? undefined : Number(values.interval);
    if (intervalMs !== undefined && !(Number.isFinite(intervalMs) && intervalMs > 0)) throw new UsageError(`--interval must be a positive number of milliseconds, not "${values.interval}"`);
    const client = clientFrom(values, io);
    return withClientErrors('tail', io, async () => {
      const series = client.series(id);
      // One plain request first: an unreachable server, an unknown series or bad credentials end
      // the command at once with one line, instead of a live stream retrying in silence.
      await lastValueFrom(series.latest());
      const live = series.live({ mode, ...(intervalMs !== undefined ? { intervalMs } : {}) });
      let transport: string | undefined;
      await new Promise<void>((resolve, reject) => {
        const sub = new Subscription();
        const cleanup = (): void => {
          sub.unsubscribe();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          io.outClosed.removeEventListener('abort', stop);
        };
        const stop = (): void => {
          cleanup();
          resolve();
        };
        sub.add(live.subscribe({
          next: ({ point, transport: via }) => {
            if (values.verbose && via !== transport) io.err(`timetric tail: following over ${via}\n`);
            transport = via;
            if (point !== null) io.out(`${values.iso ? formatIsoTime(point[0]) : point[0]},${formatValue(point[1])}\n`);
          },
          error: (err: unknown) => {
            cleanup();
            // The series exists (the first request said so): a refused push means no push endpoint.
            if (mode === 'push' && isPushUnavailable(err)) {
              reject(new CommandFailure('the server does not offer push (GET value/events/ refused); use --mode auto or poll'));
            } else {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          },
          complete: stop,
        }));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        io.outClosed.addEventListener('abort', stop); // the reader left (| head): exit 0
      });
      return 0;
    });
  },
};
