// Starts a `timetric serve` process and waits for its "listening on <URL>" line.
import { spawn } from 'node:child_process';

/** A running `timetric serve`: its URL, and `stop()` (SIGTERM) resolving to the exit code and stderr. */
export interface ServeProcess {
  url: string;
  stop(): Promise<{ code: number | null; stderr: string }>;
}

/** Spawns `command args…` and resolves once it printed "listening on <URL>"; rejects if it exits first. */
export async function spawnServe(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<ServeProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  try {
    const url = await new Promise<string>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)\n/.exec(out);
        if (m) done(m[1]!);
      });
      void exited.then((code) => fail(new Error(`${command} ${args.join(' ')} exited (${code}) before listening:\n${out}\n${stderr}`)));
    });
    return {
      url,
      async stop() {
        child.kill('SIGTERM');
        return { code: await exited, stderr };
      },
    };
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
}
