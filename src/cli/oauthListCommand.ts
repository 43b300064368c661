import type { CliIo, Command } from './Command.js';
import { formatTable } from './formatTable.js';
import { isoSeconds } from './isoSeconds.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { userIdFilter } from './userIdFilter.js';
import { userNamesOf } from './userNamesOf.js';
import { withStore } from './withStore.js';

/** `timetric oauth list [--user NAME] [--json]`: the OAuth access tokens users granted, never their secrets. */
export const oauthListCommand: Command = {
  help: `Usage: timetric oauth list [--user NAME] [--json] [--db FILE|URL]

Lists the OAuth access tokens that users granted to consumers (apps), oldest first: token, user,
consumer key and creation time. Revoke one with: timetric oauth revoke TOKEN

Options:
  --user NAME       only the tokens of this user
  --json            print a JSON array of {token, user, consumer, createdAt} (ISO 8601 UTC)
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, user: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    return withStore(resolveDb(values.db, io.env), async (store) => {
      const userId = await userIdFilter(store, values.user);
      const tokens = await store.listOAuthAccessTokens(userId);
      const nameOf = await userNamesOf(store, tokens.map((t) => t.userId));
      const rows = tokens.map((t) => ({
        token: t.token,
        user: nameOf(t.userId),
        consumer: t.consumerKey,
        createdAt: isoSeconds(t.createdAt),
      }));
      if (values.json) io.out(`${JSON.stringify(rows)}\n`);
      else if (rows.length === 0) io.out('no OAuth access tokens\n');
      else io.out(formatTable([['TOKEN', 'USER', 'CONSUMER', 'CREATED'], ...rows.map((r) => [r.token, r.user, r.consumer, r.createdAt])]));
      return 0;
    });
  },
};
