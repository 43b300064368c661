// A throwaway PostgreSQL cluster for tests and benchmarks: Debian's binaries, initdb into a temp
// folder, a spare port on 127.0.0.1, fsync off. One per process, started lazily, stopped at exit.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresCluster {
  port: number;
  /** `postgresql://postgres@127.0.0.1:PORT/` + database name. */
  urlFor(database: string): string;
  stop(): void;
}

/** The bin folder of the newest installed Debian PostgreSQL, or undefined when none is. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && join(root, versions[0], 'bin');
}

function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as user postgres when we are root (initdb refuses root). */
function run(bin: string, args: string[]): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${bin} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

/** Options of {@link startPostgresCluster}. */
export interface PostgresClusterOptions {
  /** fsync, synchronous commit and full-page writes on, as in production (default false: tests). */
  durable?: boolean;
}

/** Starts a new throwaway cluster (stopped and deleted at process exit, or by `stop()`). */
export async function startPostgresCluster(clusterOptions: PostgresClusterOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install -y postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'timetric-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    try {
      run(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-s']);
    } catch {
      // Already gone.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    const port = await sparePort();
    const options = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      ...(clusterOptions.durable ? [] : ['-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off']),
      '-c max_connections=200',
      '-c shared_buffers=128MB',
    ].join(' ');
    try {
      run(join(bin, 'pg_ctl'), ['start', '-D', data, '-w', '-s', '-l', join(dir, 'log'), '-o', options]);
    } catch (err) {
      if (attempt < 3) continue;
      stop();
      throw err;
    }
    process.once('exit', stop);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        stop();
        process.kill(process.pid, signal);
      });
    }
    return { port, urlFor: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`, stop };
  }
}

let cluster: Promise<PostgresCluster> | undefined;

/** The process's throwaway cluster, started on first use. */
export function postgresCluster(): Promise<PostgresCluster> {
  return (cluster ??= startPostgresCluster());
}
