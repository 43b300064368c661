import type { CliIo, Command } from './Command.js';
import { CommandFailure } from './CommandFailure.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';
import { withStore } from './withStore.js';

/** `timetric token revoke KEY`: revokes one API token; the user's other tokens keep working. */
export const tokenRevokeCommand: Command = {
  help: `Usage: timetric token revoke KEY [--db FILE|URL]

Revokes the API token KEY at once: requests with it get 401. The user's other tokens keep working.

Options:
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { ...DB_OPTION }, 1);
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const key = positionals[0];
    if (!key) throw new UsageError('missing the token KEY');
    return withStore(resolveDb(values.db, io.env), async (store) => {
      if (!(await store.revokeApiToken(key))) {
        const known = await store.getApiToken(key);
        throw new CommandFailure(known ? `token ${key} is already revoked` : `no API token with key ${key}`);
      }
      io.out(`revoked token ${key}\n`);
      return 0;
    });
  },
};
