// Packs the packages (scripts/packPackages.ts, from dist/: npm test builds it first) and installs
// them into a fresh app, for the install specs. npm installs from its cache where it can
// (--prefer-offline).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { packPackages, type PackedPackages } from '../../scripts/packPackages.js';

/** The repository's root folder. */
export const ROOT = resolve(import.meta.dirname, '..', '..');

/** Runs a command to the end; fails the spec with its output when it exits non-zero. */
export function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** A temporary folder with the two tarballs. */
export function packed(): PackedPackages & { tmp: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'timetric-pack-'));
  return { tmp, ...packPackages(tmp) };
}

/** Creates an app in `app` and runs `npm install` of `specs` there; resolves to npm's output. */
export async function npmInstall(app: string, specs: string[]): Promise<string> {
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
  const child = spawn('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn', ...specs], {
    cwd: app,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  assert.equal(code, 0, `npm install ${specs.join(' ')} failed:\n${out}`);
  return out;
}

/** Every installed package folder under `dir`/node_modules, scoped ones included, nested ones too. */
export function installed(dir: string): { name: string; path: string }[] {
  const nm = join(dir, 'node_modules');
  if (!existsSync(nm)) return [];
  const found: { name: string; path: string }[] = [];
  for (const entry of readdirSync(nm)) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@') ? readdirSync(join(nm, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      const path = join(nm, name);
      if (!existsSync(join(path, 'package.json'))) continue;
      found.push({ name, path }, ...installed(path));
    }
  }
  return found;
}

/** Type-checks `files` (written into `app` first) with the repository's tsc: strict, NodeNext, lib checked. */
export function typecheck(app: string, files: Record<string, string>, types: string[] = []): void {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(app, name), text);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], strict: true, noEmit: true, skipLibCheck: false, types },
      files: Object.keys(files),
    }),
  );
  run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app);
}

/** The installed version of a package in `dir`. */
export function versionIn(dir: string, name: string): string {
  return (JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}
