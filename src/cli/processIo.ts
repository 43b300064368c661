import type { CliIo } from './Command.js';

/** What {@link processIo} returns: the process's {@link CliIo}, and whether writing the output failed. */
export interface ProcessIo extends CliIo {
  /** The error that stopped standard output other than its reader leaving (disk full, …), if any. */
  outError(): Error | undefined;
  /** Resolves once everything written so far to stdout and stderr has been handed to the OS (at once for a closed stream). */
  flushed(): Promise<void>;
}

/** Resolves when `stream` has written everything before this call (or cannot write any more). */
function flushedStream(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * The {@link CliIo} of the running process (stdout, stderr, env, stdin). Standard output keeps
 * backpressure ({@link CliIo.drained}) and nothing written is dropped while its reader reads:
 * {@link ProcessIo.flushed} says when all of it has been handed over, so that the process can exit
 * then (and not wait, e.g., for the platform fetch's idle sockets, ~0.2 s). When the reader goes away (`| head`: EPIPE),
 * `outClosed` aborts and later output is dropped, instead of an unhandled `'error'` event crashing
 * the process with a stack trace. Another write error (disk full, …) is printed as one line and
 * makes the exit code 1. Errors writing stderr are ignored (there is nowhere left to report them).
 *
 * @example
 * ```ts
 * const io = processIo();
 * const code = await runTimetric(process.argv.slice(2), io);
 * await io.flushed();
 * process.exit(code);
 * ```
 *
 * @returns The io, bound to `process`.
 */
export function processIo(): ProcessIo {
  const { stdout, stderr } = process;
  const closed = new AbortController();
  let failure: Error | undefined;
  stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (closed.signal.aborted) return;
    if (err.code !== 'EPIPE') {
      failure = err;
      process.exitCode = 1;
      stderr.write(`timetric: cannot write the output: ${err.message.split('\n')[0]}\n`);
    }
    closed.abort(err);
  });
  stderr.on('error', () => {});
  return {
    out: (text) => {
      if (!closed.signal.aborted) stdout.write(text);
    },
    drained: () =>
      closed.signal.aborted || !stdout.writableNeedDrain
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const done = (): void => {
              stdout.off('drain', done);
              closed.signal.removeEventListener('abort', done);
              resolve();
            };
            stdout.on('drain', done);
            closed.signal.addEventListener('abort', done);
          }),
    outClosed: closed.signal,
    err: (text) => void stderr.write(text),
    env: process.env,
    stdin: process.stdin,
    outError: () => failure,
    flushed: async () => {
      await Promise.all([flushedStream(stdout), flushedStream(stderr)]);
    },
  };
}
