import type { CliIo, Command } from './Command.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';
import { withStore } from './withStore.js';
import { CommandFailure } from './CommandFailure.js';

/** `timetric token create --user NAME [--name LABEL] [--json]`: mints an API token. */
export const tokenCreateCommand: Command = {
  help: `Usage: timetric token create --user NAME [--name LABEL] [--json] [--db FILE|URL]

Mints an API token for user NAME. Clients send it as HTTP Basic credentials, the key as the user
name and the secret as the password. The secret is shown once: only its SHA-256 is stored.

Options:
  --user NAME       the owner of the token (required)
  --name LABEL      a label to tell the user's tokens apart (default "default")
  --json            print {"key": …, "secret": …} and nothing else
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, user: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    if (!values.user) throw new UsageError('missing --user NAME');
    const label = values.name ?? 'default';
    const { hashSecret, mintKey, mintSecret } = await import('../server/auth/secrets.js');
    return withStore(resolveDb(values.db, io.env), async (store) => {
      const user = await store.getUserByName(values.user!);
      if (!user) throw new CommandFailure(`no user named "${values.user}" (create one with: timetric user add NAME --password P)`);
      const key = mintKey();
      const secret = mintSecret();
      await store.createApiToken({ key, userId: user.id, name: label, secretHash: hashSecret(secret) });
      if (values.json) io.out(`${JSON.stringify({ key, secret })}\n`);
      else io.out(`token "${label}" for ${user.name}\nkey:    ${key}\nsecret: ${secret}\n(the secret is not stored: keep it now)\n`);
      return 0;
    });
  },
};
