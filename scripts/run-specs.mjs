#!/usr/bin/env node
// Runs every spec/**/*.spec.ts with node:test. On Node 20 a glob or a folder finds no .spec.ts and
// passes with zero tests, so the list is built here, and an empty list is a failure.
// Usage: node scripts/run-specs.mjs [substring …]   (only files whose path contains a substring)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=120000', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
