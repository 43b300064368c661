import type { CliIo, Command } from './Command.js';
import { CommandFailure } from './CommandFailure.js';
import { UsageError } from './UsageError.js';

/**
 * Every command, in the order `timetric --help` lists them. Adding a command: one file exporting a
 * {@link Command}, one line here. Commands are loaded on demand, and `serve` and the administration
 * commands import the server code (Fastify, the stores) inside their handlers: the build splits
 * dynamic imports into chunks of their own (tsup `splitting`), so the client commands and `--help`
 * never load it. Keep server imports out of the top of command files.
 */
const COMMANDS: { name: string; summary: string; load: () => Promise<Command> }[] = [
  { name: 'serve', summary: 'run the Timetric-compatible HTTP server', load: async () => (await import('./serveCommand.js')).serveCommand },
  { name: 'user add', summary: 'create a user', load: async () => (await import('./userAddCommand.js')).userAddCommand },
  { name: 'token create', summary: 'mint an API token for a user', load: async () => (await import('./tokenCreateCommand.js')).tokenCreateCommand },
  { name: 'token list', summary: 'list API tokens (never secrets)', load: async () => (await import('./tokenListCommand.js')).tokenListCommand },
  { name: 'token revoke', summary: 'revoke one API token', load: async () => (await import('./tokenRevokeCommand.js')).tokenRevokeCommand },
  { name: 'consumer create', summary: 'register an OAuth consumer', load: async () => (await import('./consumerCreateCommand.js')).consumerCreateCommand },
  { name: 'consumer list', summary: 'list OAuth consumers (never secrets)', load: async () => (await import('./consumerListCommand.js')).consumerListCommand },
  { name: 'oauth list', summary: 'list OAuth access tokens users granted (never secrets)', load: async () => (await import('./oauthListCommand.js')).oauthListCommand },
  { name: 'oauth revoke', summary: 'revoke one OAuth access token', load: async () => (await import('./oauthRevokeCommand.js')).oauthRevokeCommand },
  { name: 'stats', summary: 'show how points are stored (points, chunks, head, bytes a point)', load: async () => (await import('./statsCommand.js')).statsCommand },
  { name: 'create', summary: 'create a series and print its id', load: async () => (await import('./createCommand.js')).createCommand },
  { name: 'push', summary: 'stream CSV points from a file or stdin into a series', load: async () => (await import('./pushCommand.js')).pushCommand },
  { name: 'ls', summary: 'list the series you can read (search, --tag, --json)', load: async () => (await import('./lsCommand.js')).lsCommand },
  { name: 'cat', summary: 'print the points of a series (CSV or JSON)', load: async () => (await import('./catCommand.js')).catCommand },
  { name: 'tail', summary: 'follow the latest point of a series', load: async () => (await import('./tailCommand.js')).tailCommand },
  { name: 'bridge', summary: 'write MQTT messages into series, acknowledged once written', load: async () => (await import('./bridgeCommand.js')).bridgeCommand },
  { name: 'rm', summary: 'delete a series', load: async () => (await import('./rmCommand.js')).rmCommand },
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: timetric COMMAND [options]     (timetric COMMAND --help for details)

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Commands that open a database take --db FILE|postgres://URL (default: $TIMETRIC_DB, else ./timetric.db).
Client commands (create … rm) take --url/--key/--secret (default: $TIMETRIC_URL/_KEY/_SECRET).
Exit codes: 0 ok, 1 failure, 2 usage error, 3 series not found or token refused.
`;
}

/** The command whose words start `argv` (longest match), and the arguments after them. */
function findCommand(argv: string[]): { entry: (typeof COMMANDS)[number]; rest: string[] } | undefined {
  let best: { entry: (typeof COMMANDS)[number]; rest: string[] } | undefined;
  for (const entry of COMMANDS) {
    const words = entry.name.split(' ');
    if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.entry.name.split(' ').length)) {
      best = { entry, rest: argv.slice(words.length) };
    }
  }
  return best;
}

/**
 * Runs the `timetric` command line and resolves to its exit code: 0 success, 1 failure, 2 usage
 * error, 3 series not found or token refused (client commands). Errors are printed as one line on
 * stderr (`timetric COMMAND: …`), never as a stack trace (`TIMETRIC_DEBUG=1` adds one for
 * unexpected errors). src/cli/main.ts runs it with the process's io; specs run it in-process.
 *
 * @example
 * ```ts
 * process.exitCode = await runTimetric(['cat', id, '--format', 'json'], processIo());
 * ```
 *
 * @param argv - The arguments after the program name.
 * @param io - Output streams and environment.
 * @returns The exit code.
 */
export async function runTimetric(argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.err : io.out)(overview());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.out('timetric 0.1.0\n');
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
    const hint = group.length > 0 ? `; "${argv[0]}" takes one of: ${group.map((c) => c.name.split(' ')[1]).join(', ')}` : '';
    io.err(`timetric: unknown command "${argv.slice(0, group.length > 0 ? 2 : 1).join(' ')}"${hint} (see timetric --help)\n`);
    return 2;
  }
  try {
    const command = await found.entry.load();
    return await command.run(found.rest, io);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const oneLine = message.split('\n')[0]!.trim() || (err instanceof Error ? err.name : 'failed');
    if (err instanceof UsageError) {
      io.err(`timetric ${found.entry.name}: ${oneLine} (see timetric ${found.entry.name} --help)\n`);
      return 2;
    }
    if (!(err instanceof CommandFailure) && io.env.TIMETRIC_DEBUG && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
    io.err(`timetric ${found.entry.name}: ${oneLine}\n`);
    return 1;
  }
}
