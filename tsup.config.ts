import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';

// The entry points: '.' (browser-safe client), './journal' (its journals, browser-safe), './node'
// (the client's Node-only additions: the file journal) and './server' (Node only), plus the CLI.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'journal/index': 'src/journal/index.ts',
    'node/index': 'src/node/index.ts',
    'server/index': 'src/server/index.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'journal/index': 'src/journal/index.ts', 'node/index': 'src/node/index.ts', 'server/index': 'src/server/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['rxjs'],
  // Shared modules (codecs, error classes) become chunks that both entry points import, so an error
  // thrown by timetric/server code is instanceof the classes exported by timetric.
  splitting: true,
  // import.meta.url in the CommonJS build only (the server finds its files next to its code), with
  // tsup's own shim. Not tsup's `shims: true`: its ESM half (__dirname from 'path' and 'url') lands
  // in a chunk the client entry imports, and browser bundles of the client then fail on 'path'.
  esbuildOptions(options, context) {
    if (context.format !== 'cjs') return;
    options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
    options.inject = [...(options.inject ?? []), join(dirname(createRequire(import.meta.url).resolve('tsup/package.json')), 'assets', 'cjs_shims.js')];
  },
});
