import type { CliIo, Command } from './Command.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { isoSeconds as iso } from './isoSeconds.js';
import { withStore } from './withStore.js';


/** `timetric consumer list [--json]`: the registered OAuth consumers, without their secrets. */
export const consumerListCommand: Command = {
  help: `Usage: timetric consumer list [--json] [--db FILE|URL]

Lists the registered OAuth consumers, oldest first: key, name, default callback, creation time.

Options:
  --json            print a JSON array of {key, name, callback, createdAt}
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    return withStore(resolveDb(values.db, io.env), async (store) => {
      const rows = (await store.listConsumers()).map((c) => ({ key: c.key, name: c.name, callback: c.callback, createdAt: iso(c.createdAt) }));
      if (values.json) io.out(`${JSON.stringify(rows)}\n`);
      else if (rows.length === 0) io.out('no OAuth consumers\n');
      else for (const r of rows) io.out(`${r.key}  ${r.createdAt}  ${r.name}${r.callback === null ? '' : `  ${r.callback}`}\n`);
      return 0;
    });
  },
};
