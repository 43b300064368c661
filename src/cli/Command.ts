/** Where a command writes, and what it may read from its environment. */
export interface CliIo {
  /** Writes one chunk of normal output (add the newline yourself); nothing once {@link outClosed} is aborted. */
  out(this: void, text: string): void;
  /**
   * Resolves once normal output has room again: at once when its buffer is below the stream's
   * high-water mark or the output is closed, else on its `drain`. A command that prints a lot awaits
   * it between chunks, so a slow reader slows the command down instead of filling its memory.
   */
  drained(this: void): Promise<void>;
  /**
   * Aborted when the reader of normal output has gone (`timetric cat ID | head`: EPIPE). A command
   * that only prints (cat, tail) stops then and exits 0, as Unix tools do.
   */
  outClosed: AbortSignal;
  /** Writes one chunk of diagnostic output. */
  err(this: void, text: string): void;
  /** Environment variables (`TIMETRIC_DB`, …). */
  env: Record<string, string | undefined>;
  /** Standard input, for `--password-stdin`. */
  stdin: NodeJS.ReadableStream;
}

/**
 * One `timetric` command. The dispatcher (`COMMANDS` in src/cli/runTimetric.ts) lists them with
 * the words that select each one and its line in the command list: adding a command is adding a
 * file that exports one of these and a line in that table.
 */
export interface Command {
  /** The full `--help` text. */
  help: string;
  /**
   * Runs with the arguments after the command's words. Resolves to the exit code (0 success).
   * Throws {@link UsageError} for bad arguments (exit 2); any other error is a failure (exit 1).
   */
  run(args: string[], io: CliIo): Promise<number>;
}
