import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { streamPoints } from './streamPoints.js';
import { UsageError } from './UsageError.js';

/** `timetric create --title T --caption C [--tags a,b] [--public] [FILE|-]`: prints the new series id. */
export const createCommand: Command = {
  help: `Usage: timetric create --title TITLE --caption CAPTION [--tags a,b] [--public] [FILE|-]

Creates a series and prints its id on stdout. With FILE (or "-" for standard input), then
streams its CSV lines "time,value" into the new series, as \`timetric push\` does.

Options:
  --title TITLE     the series title (required)
  --caption TEXT    its caption, e.g. the unit (required)
  --tags a,b        comma-separated tags
  --public          readable by anyone
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...CLIENT_OPTIONS, title: { type: 'string' }, caption: { type: 'string' }, tags: { type: 'string' }, public: { type: 'boolean' } },
      1,
    );
    if (values.help) return (io.out(`${this.help}\n`), 0);
    if (values.title === undefined) throw new UsageError('missing --title');
    if (values.caption === undefined) throw new UsageError('missing --caption');
    const client = clientFrom(values, io);
    return withClientErrors('create', io, async () => {
      const series = await client.createSeries({
        title: values.title!,
        caption: values.caption!,
        ...(values.tags !== undefined ? { tags: values.tags } : {}),
        ...(values.public ? { public: true } : {}),
      });
      io.out(`${series.id}\n`);
      const file = positionals[0];
      if (file !== undefined) await streamPoints(series, file, io);
      return 0;
    });
  },
};
