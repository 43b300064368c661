#!/usr/bin/env node
// Builds the dashboard page that `timetric serve` answers at /dashboard/: src/dashboard/main.ts
// bundled and minified by esbuild (the client included, from source), its HTML and CSS, and
// uPlot's stylesheet, into dist/dashboard/. Run by `npm run build` after tsup (whose clean empties
// dist/). Each file is written beside its place and renamed over it, so a server reading the
// folder meanwhile sees the old file or the new one, never half of one.
// Usage: node scripts/build-dashboard.mjs [OUT_DIR]   (default dist/dashboard)
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(ROOT, 'dist', 'dashboard'));
mkdirSync(out, { recursive: true });

const result = await build({
  entryPoints: [join(ROOT, 'src', 'dashboard', 'main.ts')],
  bundle: true,
  minify: true,
  write: false,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'error',
});

const files = {
  'app.js': result.outputFiles[0].contents,
  'index.html': readFileSync(join(ROOT, 'src', 'dashboard', 'index.html')),
  'dashboard.css': readFileSync(join(ROOT, 'src', 'dashboard', 'dashboard.css')),
  'uplot.css': readFileSync(join(ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.min.css')),
};
for (const [name, bytes] of Object.entries(files)) {
  const tmp = join(out, `.${name}.${process.pid}.tmp`);
  writeFileSync(tmp, bytes);
  renameSync(tmp, join(out, name));
}
console.log(`dashboard: ${out} (app.js ${(files['app.js'].length / 1024).toFixed(1)} KiB)`);
