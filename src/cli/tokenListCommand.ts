import type { CliIo, Command } from './Command.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { formatTable } from './formatTable.js';
import { isoSeconds as iso } from './isoSeconds.js';
import { userIdFilter } from './userIdFilter.js';
import { userNamesOf } from './userNamesOf.js';
import { withStore } from './withStore.js';


/** `timetric token list [--user NAME] [--json]`: the API tokens, never their secrets. */
export const tokenListCommand: Command = {
  help: `Usage: timetric token list [--user NAME] [--json] [--db FILE|URL]

Lists API tokens, oldest first: key, owner, label, creation time and whether revoked.

Options:
  --user NAME       only the tokens of this user
  --json            print a JSON array of {key, user, name, createdAt, revokedAt}
                    (times as ISO 8601 UTC, revokedAt null while active)
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, user: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    return withStore(resolveDb(values.db, io.env), async (store) => {
      const userId = await userIdFilter(store, values.user);
      const tokens = await store.listApiTokens(userId);
      const nameOf = await userNamesOf(store, tokens.map((t) => t.userId));
      const rows = tokens.map((t) => ({
        key: t.key,
        user: nameOf(t.userId),
        name: t.name,
        createdAt: iso(t.createdAt),
        revokedAt: t.revokedAt === null ? null : iso(t.revokedAt),
      }));
      if (values.json) {
        io.out(`${JSON.stringify(rows)}\n`);
        return 0;
      }
      if (rows.length === 0) {
        io.out('no API tokens\n');
        return 0;
      }
      const table = [['KEY', 'USER', 'NAME', 'CREATED', 'STATUS'], ...rows.map((r) => [r.key, r.user, r.name, r.createdAt, r.revokedAt === null ? 'active' : `revoked ${r.revokedAt}`])];
      io.out(formatTable(table));
      return 0;
    });
  },
};
