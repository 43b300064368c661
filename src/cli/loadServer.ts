import type * as ServerModule from '../server/index.js';

/**
 * The server entry point, relative to the CLI module: `src/cli/…` → `src/server/index.ts` (tsx),
 * `dist/cli/main.js` → `dist/server/index.js` (the build). Held in a variable so that bundlers
 * (tsup, esbuild) leave the import alone: a literal `import('../server/index.js')` would be inlined
 * into the CLI bundle, and ESM bundles hoist the server's packages (Fastify, better-sqlite3) to
 * the top, loading them for every command, `timetric cat` included (~0.3 s).
 */
const SERVER_ENTRY = '../server/index.js';

let loading: Promise<typeof ServerModule> | undefined;

/**
 * Loads the server code (`timetric/server`: stores, auth, Fastify) on first use. Only `serve` and
 * the administration commands call it, so the client commands start without it.
 *
 * @example
 * ```ts
 * const { openStore } = await loadServer();
 * ```
 *
 * @returns The `timetric/server` module.
 */
export function loadServer(): Promise<typeof ServerModule> {
  return (loading ??= import(SERVER_ENTRY) as Promise<typeof ServerModule>);
}
