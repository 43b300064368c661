import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running bench/storageServer.ts process. */
export interface StorageServer {
  url: string;
  key: string;
  secret: string;
  /** `Authorization` header value for the server's API token. */
  basic: string;
  pid: number;
  /** Sends one control line to bench/storageServer.ts and resolves to its answer (one at a time). */
  control(op: 'compact' | 'stats' | 'cpu', id?: string): Promise<Record<string, unknown>>;
  /** SIGTERM, then waits for the process to close its store and exit. */
  stop(): Promise<void>;
}

/**
 * Starts bench/storageServer.ts in its own process: the server of the source tree at `root` on the
 * store `db` (SQLite file or PostgreSQL URL). Resolves once it listens; rejects when it exits first.
 * Node options for the server process (a profiler) come from `BENCH_SERVER_NODE_ARGS`.
 */
export async function startStorageServer(root: string, db: string): Promise<StorageServer> {
  // BENCH_SERVER_NODE_ARGS (space-separated) goes to the server's node, e.g. "--cpu-prof
  // --cpu-prof-dir=/tmp/prof" to profile the server side of a figure.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/storageServer.ts', root, db], { stdio: ['pipe', 'pipe', 'inherit'] });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  const lines = createInterface({ input: child.stdout });
  const nextLine = (what: string): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      const exited = (code: number | null): void => reject(new Error(`storage server (${root}, ${db}) exited with ${code} before ${what}`));
      child.once('exit', exited);
      lines.once('line', (line) => {
        child.off('exit', exited);
        resolve(line);
      });
    });
  const { url, key, secret } = JSON.parse(await nextLine('listening')) as { url: string; key: string; secret: string };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    url,
    key,
    secret,
    basic: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    pid: child.pid!,
    control(op, id) {
      const answer = queue.then(async () => {
        child.stdin.write(`${JSON.stringify({ op, id })}\n`);
        const reply = JSON.parse(await nextLine(`answering ${op}`)) as Record<string, unknown>;
        if (reply.ok !== true) throw new Error(`storage server ${op}: ${String(reply.error)}`);
        return reply;
      });
      queue = answer.catch(() => undefined);
      return answer;
    },
    async stop() {
      process.off('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
