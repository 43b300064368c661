import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { parseCommandArgs, seriesIdArg } from './parseCommandArgs.js';
import { streamPoints } from './streamPoints.js';

/** `timetric push ID [FILE|-]`: streams CSV points into a series and ends with a summary line ("500,000 points written in 2.9 s"). */
export const pushCommand: Command = {
  help: `Usage: timetric push ID [FILE|-] [--url URL --key KEY --secret SECRET]

Streams CSV lines "time,value" (unix seconds or ISO 8601 UTC) from FILE, or from standard input
when FILE is "-" or absent, into series ID, in requests of 50,000 points sent one after another;
what has been read is also sent once the input is quiet for 0.2 s, so a sensor piped in is
written as it reads.
A line holding only a value ("21.5", "null") is stamped with the time it is read (times only
rise, so none replaces another).
The input is never read whole. Ends with a summary line on stdout, "500,000 points written in
2.9 s". On a terminal, stderr shows
a progress bar with points/s (and percent and ETA when reading a file). A bad line stops the
push with its line number; batches sent before it stay written.

Options:
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, CLIENT_OPTIONS, 2);
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const id = seriesIdArg(positionals[0]);
    const file = positionals[1] ?? '-';
    const client = clientFrom(values, io);
    return withClientErrors('push', io, async () => {
      const started = performance.now();
      const count = await streamPoints(client.series(id), file, io);
      const seconds = (performance.now() - started) / 1000;
      io.out(`${count.toLocaleString('en-US')} ${count === 1 ? 'point' : 'points'} written in ${seconds.toFixed(1)} s\n`);
      return 0;
    });
  },
};
