import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './UsageError.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type CommandArgsConfig<T extends Options> = { args: string[]; options: typeof COMMON_OPTIONS & T; allowPositionals: true; strict: true };
/** What {@link parseCommandArgs} returns: `values` typed after the option table, and `positionals`. */
export type ParsedCommandArgs<T extends Options> = ReturnType<typeof parseArgs<CommandArgsConfig<T>>>;

/** The options every command has. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
} as const satisfies Options;

/** The `--db` option of the commands that open a store. */
export const DB_OPTION = {
  db: { type: 'string' },
} as const satisfies Options;

/**
 * `node:util` `parseArgs` in strict mode, its errors turned into {@link UsageError}s (exit code 2).
 *
 * @param args - The arguments after the command's words.
 * @param options - The option table (see `parseArgs`).
 * @param positionals - How many positional arguments are allowed (default 0).
 * @returns The parsed values and positionals.
 */
export function parseCommandArgs<T extends Options>(args: string[], options: T, positionals = 0): ParsedCommandArgs<T> {
  let parsed: ParsedCommandArgs<T>;
  try {
    parsed = parseArgs<CommandArgsConfig<T>>({ args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs' messages are one clear line already ("Unknown option '--x'", …).
    throw new UsageError((err as Error).message.split('\n')[0]!.replace(/\. To specify .*$/, ''));
  }
  if (parsed.positionals.length > positionals && !(parsed.values as { help?: boolean }).help) {
    throw new UsageError(`unexpected argument "${parsed.positionals[positionals]}"`);
  }
  return parsed;
}

/**
 * The database a command works on: `--db`, else the `TIMETRIC_DB` environment variable, else
 * `./timetric.db`.
 */
export function resolveDb(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag ?? (env.TIMETRIC_DB || './timetric.db');
}

// The grammar of a series id (the server's isSeriesId; the client commands do not load server code).
const SERIES_ID = /^[A-Za-z0-9_-]{22}$/;

/**
 * The series ID argument of a client command. Missing, or not 22 characters of A-Z a-z 0-9 - _
 * (what every series id is), is a {@link UsageError} (exit code 2) before any request is sent.
 *
 * @param id - The positional argument, if any.
 * @returns The id.
 */
export function seriesIdArg(id: string | undefined): string {
  if (id === undefined) throw new UsageError('missing the series ID');
  if (!SERIES_ID.test(id)) throw new UsageError(`malformed series ID ${JSON.stringify(id.slice(0, 60))}: expected 22 characters of A-Z a-z 0-9 - _`);
  return id;
}
