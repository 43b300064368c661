import { AuthenticationError, NotFoundError, TimetricClient } from '../index.js';
import type { CliIo } from './Command.js';
import { CommandFailure } from './CommandFailure.js';
import { UsageError } from './UsageError.js';

/** The options of the commands that talk to a server (`create`, `push`, `cat`, `tail`, `rm`). */
export const CLIENT_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  secret: { type: 'string' },
} as const;

/** The help lines for {@link CLIENT_OPTIONS}. */
export const CLIENT_HELP = `  --url URL         server (default: $TIMETRIC_URL, else http://127.0.0.1:8080)
  --key KEY         API token key (default: $TIMETRIC_KEY)
  --secret SECRET   API token secret (default: $TIMETRIC_SECRET)
  -h, --help        show this help

Exit codes: 0 ok, 1 failure (server unreachable, bad data, …), 2 usage error,
3 series not found or access refused (authentication).`;

/** Exit code for a series that does not exist or a refused token. */
export const EXIT_NOT_FOUND = 3;

/**
 * The client a command talks through: flags first, then `TIMETRIC_URL`/`TIMETRIC_KEY`/`TIMETRIC_SECRET`.
 * A token is required (the client has no anonymous mode).
 */
export function clientFrom(values: { url?: string | undefined; key?: string | undefined; secret?: string | undefined }, io: CliIo): TimetricClient {
  const baseUrl = values.url ?? io.env.TIMETRIC_URL ?? 'http://127.0.0.1:8080';
  const key = values.key ?? io.env.TIMETRIC_KEY;
  const secret = values.secret ?? io.env.TIMETRIC_SECRET;
  if (!key || !secret) throw new UsageError('an API token is needed: --key and --secret, or TIMETRIC_KEY and TIMETRIC_SECRET');
  try {
    new URL(baseUrl);
  } catch {
    throw new UsageError(`not a URL: "${baseUrl}"`);
  }
  return new TimetricClient({ authtype: 'apitoken', apitoken_key: key, apitoken_secret: secret }, { baseUrl });
}

/**
 * Runs a client command, turning "not found" and authentication errors into exit code 3 with one
 * line on stderr; other errors go on to the dispatcher (one line, exit 1).
 */
export async function withClientErrors(name: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof AuthenticationError) {
      io.err(`timetric ${name}: ${err.message.split('\n')[0]}\n`);
      return EXIT_NOT_FOUND;
    }
    if (err instanceof UsageError || err instanceof CommandFailure) throw err;
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new CommandFailure(message);
  }
}
