import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** An older source tree extracted for the benchmark. */
export interface PreviousTree {
  /** Folder holding that commit's `src/`, `package.json`, `tsconfig.json` and a link to today's `node_modules`. */
  root: string;
  /** The full commit id and its subject line. */
  commit: string;
  subject: string;
  remove(): void;
}

/**
 * Extracts `src/` of an older commit (`git archive`, read-only: no checkout, no worktree, the
 * working tree and index are untouched) into a temp folder next to a link to this tree's
 * `node_modules`, so bench/storageServer.ts can serve that commit's store. Throws with git's message
 * when the ref is unknown.
 */
export function previousTree(ref: string): PreviousTree {
  const git = (...args: string[]): string => {
    const r = spawnSync('git', args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout.trim();
  };
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`);
  const subject = git('log', '-1', '--format=%s', commit);
  const root = mkdtempSync(join(tmpdir(), 'timetric-previous-'));
  const archive = spawnSync('sh', ['-c', `git archive --format=tar ${commit} src package.json tsconfig.json | tar -x -C "${root}"`], { encoding: 'utf8' });
  if (archive.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`extracting ${commit}: ${archive.stderr.trim()}`);
  }
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'), 'dir');
  return { root, commit, subject, remove: () => rmSync(root, { recursive: true, force: true }) };
}
