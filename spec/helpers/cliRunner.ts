// Runs the `timetric` command as a user does (a child process). The CLI source is bundled once per
// spec file with esbuild (as the build does), so each run starts in ~0.1 s.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const ROOT = join(import.meta.dirname, '..', '..');
// Inside node_modules so the bundle's external packages resolve from the project.
const BUNDLE_DIR = join(ROOT, 'node_modules', '.cache', 'timetric-cli-spec');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Bundles src/cli/main.ts to a file of its own; returns its path and a remover. */
export async function bundleCli(name: string): Promise<{ main: string; remove: () => void }> {
  const main = join(BUNDLE_DIR, `${name}-${process.pid}.mjs`);
  mkdirSync(BUNDLE_DIR, { recursive: true });
  await build({ entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')], outfile: main, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return { main, remove: () => rmSync(main, { force: true }) };
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

/** A failure is one readable line on stderr, no stack trace, and the given exit code. */
export function assertOneLineError(run: CliRun, code: number, pattern: RegExp): void {
  assert.equal(run.code, code, `exit code (stderr: ${run.stderr})`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^timetric[^\n]*\n$/, `one line: ${JSON.stringify(run.stderr)}`);
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}
