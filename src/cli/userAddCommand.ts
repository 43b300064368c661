import type { CliIo, Command } from './Command.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';
import { withStore } from './withStore.js';
import { isUserName } from '../server/auth/isUserName.js';

async function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/** `timetric user add NAME --password P`: creates a user (password stored as scrypt). */
export const userAddCommand: Command = {
  help: `Usage: timetric user add NAME (--password P | --password-stdin) [--db FILE|URL]

Creates user NAME. The password is stored as an scrypt hash; the user types it on the OAuth
authorize page. --password-stdin reads it from the first line of standard input, which keeps
it out of the process list and shell history.

Options:
  --password P        the password
  --password-stdin    read the password from standard input
  --db FILE|URL       SQLite file or postgres:// URL (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help          show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      args,
      { ...DB_OPTION, password: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
      1,
    );
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const name = positionals[0];
    if (!name) throw new UsageError('missing the user NAME');
    if (!isUserName(name)) throw new UsageError(`invalid user name "${name}" (1–64 of A–Z a–z 0–9 . _ @ -)`);
    if (values.password !== undefined && values['password-stdin']) throw new UsageError('give either --password or --password-stdin, not both');
    const password = values['password-stdin'] ? await readFirstLine(io.stdin) : values.password;
    if (password === undefined) throw new UsageError('missing --password (or --password-stdin)');
    if (password === '') throw new UsageError('the password is empty');
    const [{ hashPassword }, { StoreConflictError }] = await Promise.all([import('../server/auth/passwords.js'), import('../server/store/StoreConflictError.js')]);
    const hash = await hashPassword(password);
    return withStore(resolveDb(values.db, io.env), async (store) => {
      try {
        const user = await store.createUser(name, hash);
        io.out(`created user ${user.name} (id ${user.id})\n`);
        return 0;
      } catch (err) {
        if (err instanceof StoreConflictError) throw new StoreConflictError(`user "${name}" already exists`);
        throw err;
      }
    });
  },
};
