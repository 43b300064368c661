import type { CliIo, Command } from './Command.js';
import { DB_OPTION, parseCommandArgs, resolveDb } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

function parsePort(text: string | undefined): number {
  if (text === undefined) return 8080;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got "${text}"`);
  return port;
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
  name: 'serve',
  summary: 'run the Timetric-compatible HTTP server',
  help: `Usage: timetric serve [--port 8080] [--host 127.0.0.1] [--db FILE|URL]

Runs the server and prints "listening on <URL>". Ctrl-C (SIGINT) or SIGTERM stops taking new
connections, lets in-flight requests finish, and closes the database; a second signal exits at once.

Options:
  --port N          TCP port (default 8080; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --db FILE|URL     SQLite file (created when missing) or postgres:// URL
                    (default: $TIMETRIC_DB or ./timetric.db)
  -h, --help        show this help`,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseCommandArgs(args, { ...DB_OPTION, port: { type: 'string', short: 'p' }, host: { type: 'string' } });
    if (values.help) return (io.out(`${this.help}\n`), 0);
    const port = parsePort(values.port);
    const host = values.host ?? '127.0.0.1';
    // Fastify and the stores load only here (and in the admin commands), never for client commands.
    const [{ createTimetricServer }, { openStore }] = await Promise.all([import('../server/createTimetricServer.js'), import('../server/store/openStore.js')]);
    const store = await openStore(resolveDb(values.db, io.env));
    try {
      const server = createTimetricServer({ store });
      const stop = shutdownRequested(io);
      const url = await server.listen({ port, host });
      io.out(`listening on ${url}\n`);
      const signal = await stop;
      io.err(`timetric serve: ${signal}, closing\n`);
      await server.close();
      return 0;
    } finally {
      await store.close();
    }
  },
};
