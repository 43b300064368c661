import { lastValueFrom, tap } from 'rxjs';
import type { CliIo, Command } from './Command.js';
import { CLIENT_HELP, CLIENT_OPTIONS, clientFrom, withClientErrors } from './clientOptions.js';
import { formatTable } from './formatTable.js';
import { parseCommandArgs } from './parseCommandArgs.js';

/** `timetric ls [--tag T]… [--json]`: the series the caller can read, through the search endpoint. */
export const lsCommand: Command = {
  help: `Usage: timetric ls [--tag T]... [--json]

Lists the series the token may read (its own and public ones), oldest first, through the
server's search (client.search), page after page: ID, TITLE, CAPTION and TAGS as a table, or with
--json one JSON object a line, {"id","title","caption","tags","url"}, printed as each page arrives.

Options:
  --tag T           only series carrying tag T (case-insensitive); repeat for several, all needed
  --json            one JSON object a line instead of a table
${CLIENT_HELP}`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...CLIENT_OPTIONS, tag: { type: 'string', multiple: true }, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const client = clientFrom(values, io);
    const tags = values.tag ?? [];
    return withClientErrors('ls', io, async () => {
      const rows: string[][] = [['ID', 'TITLE', 'CAPTION', 'TAGS']];
      await lastValueFrom(
        client.search(tags.length > 0 ? { tags } : {}).pipe(
          tap((s) => {
            if (values.json) io.out(`${JSON.stringify({ id: s.id, title: s.title, caption: s.caption, tags: s.tags, url: s.url })}\n`);
            else rows.push([s.id, s.title, s.caption, s.tags.join(',')]);
          }),
        ),
        { defaultValue: undefined },
      );
      if (!values.json) io.out(formatTable(rows));
      return 0;
    });
  },
};
