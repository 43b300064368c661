#!/usr/bin/env node
// Runs every spec/**/*.spec.ts with node:test. On Node 20 a glob or a folder finds no .spec.ts and
// passes with zero tests, so the list is built here, and an empty list is a failure.
// Usage: node scripts/run-specs.mjs [substring …]   (only files whose path contains a substring)
// A run without filters then runs spec/server (and the security specs that start our server) once
// more with TIMETRIC_TEST_STORE=postgres.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.spec.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = walk('spec')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(`run-specs: no spec files found${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}
// Spec files that install packages into fresh apps (npm install, tsc on the result) get longer:
// on a loaded machine one takes more than two minutes. A file's timeout is the whole file's.
// Every other file gets five minutes: the store suites (thousands of seeded operations on each
// store) took more than two at load averages above 17.
const SLOW = [join('spec', 'package', 'install-')];
const isSlow = (f) => SLOW.some((s) => f.startsWith(s));

function runSpecs(list, env = process.env, timeoutMs = 300_000) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeoutMs}`, ...list],
    { stdio: 'inherit', env },
  );
  return result.status ?? 1;
}

const quick = files.filter((f) => !isSlow(f));
const slow = files.filter(isSlow);
const status = Math.max(quick.length ? runSpecs(quick) : 0, slow.length ? runSpecs(slow, process.env, 480_000) : 0);
if (status !== 0) process.exit(status);

// A full run also runs the server specs again on PostgreSQL (spec/helpers/startServer.ts picks the
// store from TIMETRIC_TEST_STORE). Without PostgreSQL binaries this is skipped, except on CI, which
// installs them (.ci/run): there their absence is an error.
if (filters.length === 0 && !process.env.TIMETRIC_TEST_STORE) {
  const hasPostgres =
    existsSync('/usr/lib/postgresql') &&
    readdirSync('/usr/lib/postgresql').some((v) => existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')));
  // The server specs, and the security specs that start our server (their bounds must hold on
  // either store).
  const serverSpecs = files.filter(
    (f) =>
      f.startsWith(join('spec', 'server') + sep) ||
      (f.startsWith(join('spec', 'security') + sep) && readFileSync(f, 'utf8').includes('startServer(')),
  );
  if (!hasPostgres) {
    if (process.env.CI === 'true') {
      console.error('run-specs: CI=true but PostgreSQL is not installed (apt-get install -y postgresql)');
      process.exit(1);
    }
    console.error('run-specs: PostgreSQL not installed; the server specs ran on SQLite only');
  } else if (serverSpecs.length > 0) {
    console.error(`run-specs: the server specs again, on PostgreSQL (${serverSpecs.length} files)`);
    process.exit(runSpecs(serverSpecs, { ...process.env, TIMETRIC_TEST_STORE: 'postgres' }));
  }
}
process.exit(0);
