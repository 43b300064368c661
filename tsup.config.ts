import { defineConfig } from 'tsup';

// Two entry points: '.' (browser-safe client) and './server' (Node only), plus the CLI.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'server/index': 'src/server/index.ts',
    'cli/main': 'src/cli/main.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', 'server/index': 'src/server/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['rxjs'],
  // Shared modules (codecs, error classes) become chunks that both entry points import, so an error
  // thrown by timetric/server code is instanceof the classes exported by timetric.
  splitting: true,
  // import.meta.url in the CommonJS build, __dirname/__filename in the ESM build (the server finds
  // its files next to its code), each only where code uses it.
  shims: true,
});
