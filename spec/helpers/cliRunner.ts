// Runs the `timetric` command as a user does (a child process), or in-process for the checks that
// need no process of their own. The CLI source is bundled once per spec file with esbuild, as the
// build does (ESM, dynamic imports split into chunks, so the client commands never load the server
// code), and each run starts in ~0.1–0.3 s.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { build } from 'esbuild';
import { runTimetric } from '../../src/cli/runTimetric.js';

export const ROOT = join(import.meta.dirname, '..', '..');
// Inside node_modules so the bundle's external packages resolve from the project.
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'timetric-cli-spec');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Bundles src/cli/main.ts as the build does (tsup.config.ts) into a folder of its own; returns the CLI's path and a remover. */
export async function bundleCli(name: string): Promise<{ main: string; remove: () => void }> {
  const dir = join(BUNDLE_DIR, `${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  await build({
    entryPoints: { 'cli/main': join(ROOT, 'src', 'cli', 'main.ts') },
    outdir: dir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  return { main: join(dir, 'cli', 'main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the bundled CLI with `args`; stdin gets `input` (or nothing); resolves with exit code and output. */
export function runCli(main: string, args: string[], options: { env?: Record<string, string>; input?: string; nodeArgs?: string[] } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), main, ...args],
      { cwd: ROOT, env: { ...process.env, TIMETRIC_DEBUG: '', ...options.env }, maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(options.input ?? '');
  });
}

/**
 * Runs the same command line in this process (`runTimetric`, what src/cli/main.ts runs), with
 * captured output: the exit code it returns and the text it writes. For the many checks of
 * arguments, help texts and error lines; what only a process shows (exit status, stdout
 * backpressure and EPIPE, signals) is checked with {@link runCli}.
 */
export async function runInProcess(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runTimetric(args, {
    out: (text) => void (stdout += text),
    err: (text) => void (stderr += text),
    drained: () => Promise.resolve(),
    outClosed: new AbortController().signal,
    env: { ...process.env, TIMETRIC_DEBUG: '', ...options.env },
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
  });
  return { code, stdout, stderr };
}

/**
 * Every option a command's `--help` lists (`  --name VALUE  …` lines), checked against its parser:
 * each is accepted (with a value when the help shows one). Returns the options found.
 */
export async function assertHelpOptionsAccepted(words: string[], help: string): Promise<string[]> {
  const options = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)( \S+)? {2}/gm)].map((m) => ({ flag: m[1]!, value: m[2] !== undefined }));
  for (const { flag, value } of options) {
    const run = await runInProcess([...words, flag, ...(value ? ['1'] : []), '--help']);
    assert.equal(run.code, 0, `${words.join(' ')} ${flag}: ${run.stderr}`);
  }
  return options.map((o) => o.flag);
}

/** A failure is one readable line on stderr, no stack trace, and the given exit code. */
export function assertOneLineError(run: CliRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `exit code (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^timetric[^\n]*\n$/, `one line: ${JSON.stringify(run.stderr)}`);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}
