import type { CliIo, Command } from './Command.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';
import { withStore } from './withStore.js';

/** `timetric consumer create --name N [--callback URL] [--json]`: registers an OAuth consumer. */
export const consumerCreateCommand: Command = {
  help: `Usage: timetric consumer create --name N [--callback URL] [--json] [--db FILE|URL]

Registers an OAuth 1.0/1.0a consumer. The application signs its requests (HMAC-SHA1) with the key
and secret, and sends users to /oauth/authorize/ to grant it access.

Options:
  --name N          the application's name, shown to users on the authorize page (required)
  --callback URL    default callback (http or https) when the application gives none
  --json            print {"key": …, "secret": …} and nothing else
  --db FILE|URL     SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, name: { type: 'string' }, callback: { type: 'string' }, json: { type: 'boolean' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    if (!values.name) throw new UsageError('missing --name N');
    const callback = values.callback ?? null;
    if (callback !== null && !/^https?:\/\/[^/\s]+/i.test(callback)) throw new UsageError(`--callback must be an http(s) URL, got "${callback}"`);
    const { mintKey, mintSecret } = await import('../server/auth/secrets.js');
    return withStore(resolveDb(values.db, io.env), async (store) => {
      const consumer = await store.createConsumer({ key: mintKey(), secret: mintSecret(), name: values.name!, callback });
      if (values.json) io.out(`${JSON.stringify({ key: consumer.key, secret: consumer.secret })}\n`);
      else io.out(`consumer "${consumer.name}"\nkey:    ${consumer.key}\nsecret: ${consumer.secret}\n`);
      return 0;
    });
  },
};
