import { existsSync, rmSync } from 'node:fs';
import type { CliIo, Command } from './Command.js';
import { CommandFailure } from './CommandFailure.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

/** Defaults of `timetric serve` where neither a flag nor an environment variable says otherwise. */
export const DEFAULT_SERVE_ADDRESS = { port: 8080, host: '127.0.0.1' } as const;

/**
 * The port and host `timetric serve` listens on. Each comes from the first that is set, in this
 * order: the flag (`--port`, `--host`), `TIMETRIC_PORT` / `TIMETRIC_HOST`, then `PORT` / `HOST`
 * (the names platforms such as Heroku or Cloud Run set), else {@link DEFAULT_SERVE_ADDRESS}.
 * An empty variable counts as unset.
 *
 * @throws UsageError naming the flag or variable when the port is not a whole number from 0 to 65535.
 */
export function serveAddress(flags: { port?: string | undefined; host?: string | undefined }, env: Record<string, string | undefined>): { port: number; host: string } {
  const pick = (flag: string | undefined, flagName: string, names: string[]): [string, string] | undefined => {
    if (flag !== undefined) return [flag, flagName];
    for (const name of names) if (env[name]) return [env[name], name];
    return undefined;
  };
  const port = pick(flags.port, '--port', ['TIMETRIC_PORT', 'PORT']);
  const host = pick(flags.host, '--host', ['TIMETRIC_HOST', 'HOST']);
  let portNumber: number = DEFAULT_SERVE_ADDRESS.port;
  if (port) {
    const [text, from] = port;
    portNumber = Number(text);
    if (!/^\d{1,5}$/.test(text) || portNumber > 65535) throw new UsageError(`${from} must be a whole number from 0 to 65535, got "${text}"`);
  }
  return { port: portNumber, host: host ? host[0] : DEFAULT_SERVE_ADDRESS.host };
}

/** The SQLite files opening `db` would create (none for `:memory:` or a PostgreSQL URL). */
function filesToCreate(db: string): string[] {
  if (db === ':memory:' || db === '' || /^postgres(ql)?:\/\//i.test(db) || /^file:/i.test(db)) return [];
  return [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].filter((f) => !existsSync(f));
}

/** One line for a failed listen: what failed and what to do. */
function listenFailure(err: unknown, host: string, port: number): CommandFailure {
  const code = (err as { code?: unknown } | null)?.code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return new CommandFailure(`cannot listen on ${where}: the port is in use; stop what uses it or choose another (--port, TIMETRIC_PORT or PORT)`, { cause: err });
  if (code === 'EACCES') return new CommandFailure(`cannot listen on ${where}: permission denied (ports below 1024 need privileges); choose another (--port, TIMETRIC_PORT or PORT)`, { cause: err });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new CommandFailure(`cannot listen on ${where}: no such local address; choose another (--host, TIMETRIC_HOST or HOST)`, { cause: err });
  return new CommandFailure(`cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}

/** Resolves on the first SIGINT or SIGTERM; a second one while closing exits at once. */
function shutdownRequested(io: CliIo): Promise<string> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      resolve(signal);
    };
    const force = (): void => {
      io.err('timetric serve: second signal, exiting without waiting\n');
      process.exit(1);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}

/** `timetric serve [--port] [--host] [--db]`: runs the Timetric-compatible HTTP server. */
export const serveCommand: Command = {
  help: `Usage: timetric serve [--port 8080] [--host 127.0.0.1] [--db FILE|URL]

Runs the server and prints "listening on <URL>". Ctrl-C (SIGINT) or SIGTERM stops taking new
connections, lets in-flight requests finish, and closes the database; a second signal exits at once.
When it cannot listen (the port is in use), it exits 1 and leaves no new database file behind.

Options:
  --port N          TCP port (default: $TIMETRIC_PORT, else $PORT, else 8080; 0 picks a free one)
  --host ADDR       address to listen on (default: $TIMETRIC_HOST, else $HOST, else 127.0.0.1;
                    0.0.0.0 for every interface)
  --db FILE|URL     SQLite file (created when missing) or postgres:// URL
                    (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, port: { type: 'string', short: 'p' }, host: { type: 'string' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const { port, host } = serveAddress(values, io.env);
    const db = resolveDb(values.db, io.env);
    // Fastify and the stores load only here (and in the admin commands), never for client commands.
    const [{ createTimetricServer }, { openStore }] = await Promise.all([import('../server/createTimetricServer.js'), import('../server/store/openStore.js')]);
    const created = filesToCreate(db);
    const store = await openStore(db);
    let listening = false;
    try {
      const server = createTimetricServer({ store });
      let url: string;
      try {
        url = await server.listen({ port, host });
      } catch (err) {
        await server.close().catch(() => undefined);
        throw listenFailure(err, host, port);
      }
      listening = true;
      const stop = shutdownRequested(io);
      io.out(`listening on ${url}\n`);
      const signal = await stop;
      io.err(`timetric serve: ${signal}, closing\n`);
      await server.close();
      return 0;
    } finally {
      await store.close();
      // A server that never listened leaves nothing behind: not even the empty database it opened.
      if (!listening) for (const f of created) rmSync(f, { force: true });
    }
  },
};
