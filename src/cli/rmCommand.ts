import { lastValueFrom } from 'rxjs';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { parseCommandArgs, seriesIdArg } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/** The first line of `stdin` (without its end), or '' at its end. */
async function readAnswer(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const end = text.indexOf('\n');
    // An answer is a word: more than a line's worth without a line end is no answer.
    if (end >= 0 || text.length > 1024) return end >= 0 ? text.slice(0, end) : '';
  }
  return text;
}

/** `timetric rm ID [--yes]`: deletes a series, after asking on a terminal. */
export const rmCommand: Command = {
  help: `Usage: timetric rm ID [--yes]

Deletes series ID and all its points. On a terminal it asks first ("y" deletes; anything else
exits 1 with nothing deleted); otherwise (a script, a pipe) it needs --yes, and without it
exits 2 with nothing deleted. Exit code 3 when the series does not exist or the token may not
delete it.

Options:
  -y, --yes         delete without asking
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { ...CLIENT_OPTIONS, yes: { type: 'boolean', short: 'y' } }, 1);
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const id = seriesIdArg(positionals[0]);
    const client = clientFrom(values, io);
    if (!values.yes) {
      if ((io.stdin as { isTTY?: boolean }).isTTY !== true) throw new UsageError(`deleting series ${id} needs --yes when standard input is not a terminal; nothing deleted`);
      io.err(`timetric rm: delete series ${id} and all its points? [y/N] `);
      const answer = (await readAnswer(io.stdin)).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') {
        io.err('timetric rm: not deleted\n');
        return 1;
      }
    }
    return withClientErrors('rm', io, async () => {
      await lastValueFrom(client.series(id).delete());
      return 0;
    });
  },
};
