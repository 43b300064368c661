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
  /** SIGTERM, then waits for the process to close its store and exit. */
  stop(): Promise<void>;
}

/**
 * Starts bench/storageServer.ts in its own process: the server of the source tree at `root` on the
 * store `db` (SQLite file or PostgreSQL URL). Resolves once it listens; rejects when it exits first.
 */
export async function startStorageServer(root: string, db: string): Promise<StorageServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/storageServer.ts', root, db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  const line = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`storage server (${root}, ${db}) exited with ${code} before listening`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const { url, key, secret } = JSON.parse(line) as { url: string; key: string; secret: string };
  return {
    url,
    key,
    secret,
    basic: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`,
    pid: child.pid!,
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
