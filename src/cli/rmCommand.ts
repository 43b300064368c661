import { lastValueFrom } from 'rxjs';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { parseCommandArgs, seriesIdArg } from './parseCommandArgs.js';

/** `timetric rm ID`: deletes a series. */
export const rmCommand: Command = {
  help: `Usage: timetric rm ID

Deletes series ID and all its points. Exit code 3 when it does not exist or the token may not
delete it.

Options:
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, CLIENT_OPTIONS, 1);
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const id = seriesIdArg(positionals[0]);
    const client = clientFrom(values, io);
    return withClientErrors('rm', io, async () => {
      await lastValueFrom(client.series(id).delete());
      return 0;
    });
  },
};
