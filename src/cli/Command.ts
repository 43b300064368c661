/** Where a command writes, and what it may read from its environment. */
export interface CliIo {
  /** Writes one chunk of normal output (add the newline yourself). */
  out(this: void, text: string): void;
  /** Writes one chunk of diagnostic output. */
  err(this: void, text: string): void;
  /** Environment variables (`TIMETRIC_DB`, …). */
  env: Record<string, string | undefined>;
  /** Standard input, for `--password-stdin`. */
  stdin: NodeJS.ReadableStream;
}

/**
 * One `timetric` command. The dispatcher (src/cli/main.ts) lists them in a table: adding a command
 * is adding a file that exports one of these and a line in that table.
 */
export interface Command {
  /** The words that select it: `'serve'`, `'token create'`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text. */
  help: string;
  /**
   * Runs with the arguments after the command's words. Resolves to the exit code (0 success).
   * Throws {@link UsageError} for bad arguments (exit 2); any other error is a failure (exit 1).
   */
  run(args: string[], io: CliIo): Promise<number>;
}
