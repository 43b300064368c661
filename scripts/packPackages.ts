// Packs the two packages this repository publishes, from the build in dist/ (npm run build):
//  - timetric: the client (and the server's code under timetric/server, without its dependencies);
//  - timetric-server: the `timetric` command and the server's dependencies (packages/timetric-server).
// Each is staged in a folder of its own with the manifest users get: the development-only fields
// (scripts, devDependencies, allowScripts) are left out, so installing the tarball runs nothing and
// warns of nothing, and timetric-server's version, its timetric dependency and its dependency
// ranges are taken from the root package.json, so the two cannot drift apart.
// Usage: npm run pack [-- OUT_DIR]   (default: packages/out); prints the tarballs' paths.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Manifest {
  name: string;
  version: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: unknown;
  [field: string]: unknown;
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

function pack(stage: string, outDir: string): string {
  const name = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop()!;
  return join(outDir, name);
}

/** The tarballs {@link packPackages} wrote. */
export interface PackedPackages {
  client: string;
  server: string;
}

/** Stages and packs timetric and timetric-server from dist/ into `outDir`; returns the tarballs' paths. */
export function packPackages(outDir: string): PackedPackages {
  for (const f of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/server/index.js', 'dist/server/index.d.ts', 'dist/cli/main.js']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run npm run build first`);
  }
  mkdirSync(outDir, { recursive: true });
  const stageRoot = mkdtempSync(join(tmpdir(), 'timetric-stage-'));
  try {
    const root = readManifest(ROOT);
    const client: Manifest = { ...root };
    delete client.scripts;
    delete client.devDependencies;
    delete client.allowScripts;
    const clientStage = join(stageRoot, 'timetric');
    mkdirSync(clientStage);
    cpSync(join(ROOT, 'dist'), join(clientStage, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'README.md'), join(clientStage, 'README.md'));
    writeFileSync(join(clientStage, 'package.json'), `${JSON.stringify(client, null, 2)}\n`);

    const template = join(ROOT, 'packages', 'timetric-server');
    const server = readManifest(template);
    const ranges = { ...root.devDependencies, ...(root.peerDependencies as Record<string, string> | undefined), ...root.dependencies };
    server.version = root.version;
    server.dependencies = Object.fromEntries(
      Object.entries(server.dependencies ?? {}).map(([name, range]) => [name, name === root.name ? root.version : (ranges[name] ?? range)]),
    );
    const serverStage = join(stageRoot, 'timetric-server');
    cpSync(template, serverStage, { recursive: true, filter: (src) => !src.includes('node_modules') });
    writeFileSync(join(serverStage, 'package.json'), `${JSON.stringify(server, null, 2)}\n`);
    return { client: pack(clientStage, outDir), server: pack(serverStage, outDir) };
  } finally {
    rmSync(stageRoot, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const out = resolve(process.argv[2] ?? join(ROOT, 'packages', 'out'));
  const { client, server } = packPackages(out);
  console.log(`${client}\n${server}`);
}
