import type { CliIo, Command } from './Command.js';
import { CommandFailure } from './CommandFailure.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';
import { withStore } from './withStore.js';

/** `timetric oauth revoke TOKEN`: withdraws one OAuth access token; requests signed with it get 401. */
export const oauthRevokeCommand: Command = {
  help: `Usage: timetric oauth revoke TOKEN [--db FILE|URL]

Revokes the OAuth access token TOKEN (see timetric oauth list) at once: requests signed with it get
401, and the app must do the OAuth dance again. The user's other grants keep working.

Options:
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, { ...DB_OPTION }, 1);
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const token = positionals[0];
    if (!token) throw new UsageError('missing the access TOKEN');
    return withStore(resolveDb(values.db, io.env), async (store) => {
      const found = await store.getOAuthToken(token);
      if (!found || found.kind !== 'access') throw new CommandFailure(`no OAuth access token ${token}`);
      await store.deleteOAuthToken(token);
      io.out(`revoked OAuth access token ${token} (consumer ${found.consumerKey})\n`);
      return 0;
    });
  },
};
