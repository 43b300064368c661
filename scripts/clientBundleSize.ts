// The browser weight of the client: an esbuild bundle of what a page that reads and writes a series
// imports (TimetricClient, values$, latest$, writeTo), minified, with rxjs's share in it, and its
// gzipped size. `npm run size` prints it; spec/package/bundleSize.spec.ts holds it to the budget.
// Code split off behind a dynamic import (OAuth signing, loaded only for authtype 'oauth';
// downsampled reads, loaded on the first one) is a chunk of its own that the page loads only when
// it runs it: it is reported apart, chunk by chunk, as bundlers with code splitting (Vite,
// webpack, esbuild --splitting) emit it. The budget holds what the page loads up front: the entry
// and the chunks it imports statically.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** The budget for the minified bundle, in bytes (rxjs's share included). */
export const CLIENT_BUNDLE_BUDGET_BYTES = 70 * 1024;

/** What {@link measureClientBundle} reports, in bytes. */
export interface ClientBundleSize {
  /** The page's bundle without the lazily loaded chunks: what every page loads. */
  minified: number;
  gzipped: number;
  /** The lazily loaded chunks together (minified). */
  lazy: number;
  /** Every output file: the entry first, then the chunks; `eager` when the page loads it up front. */
  chunks: { file: string; eager: boolean; minified: number; gzipped: number; largest: string[] }[];
  /** The bundle's input files and the bytes each adds to the minified output, largest first. */
  inputs: { path: string; bytes: number }[];
}

// A page's use of the client: read a range, watch the latest value, write a stream of points.
const PAGE = `
import { TimetricClient, writeTo } from 'timetric';
import { interval, map } from 'rxjs';
const client = new TimetricClient({ authtype: 'apitoken', apitoken_key: 'k', apitoken_secret: 's' }, { baseUrl: location.origin });
const s = client.series('abc');
s.values$.subscribe(console.log);
s.latest$.subscribe(console.log);
interval(1000).pipe(map((i) => [new Date(), i] as const), writeTo(s)).subscribe();
`;

/** Bundles {@link PAGE} for the browser from the sources and measures it. */
export async function measureClientBundle(): Promise<ClientBundleSize> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const result = await build({
    stdin: { contents: PAGE, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    splitting: true,
    outdir: 'out',
    write: false,
    metafile: true,
    logLevel: 'silent',
    // The page imports the package by name; the sources stand in for the build.
    alias: { timetric: `${root}src/index.ts` },
  });
  // What the page loads: the entry and the chunks it imports statically.
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((k) => outputs[k]!.entryPoint !== undefined || k.endsWith('stdin.js'))!;
  const eager = new Set<string>();
  const visit = (k: string): void => {
    if (eager.has(k)) return;
    eager.add(k);
    for (const i of outputs[k]!.imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  const files = new Map(result.outputFiles.map((f) => [f.path.slice(root.length), f.contents]));
  const eagerCode = Buffer.concat([...eager].map((k) => files.get(k)!));
  const lazy = Object.keys(outputs)
    .filter((k) => !eager.has(k) && k.endsWith('.js'))
    .reduce((n, k) => n + files.get(k)!.byteLength, 0);
  const bytes = new Map<string, number>();
  for (const k of eager) for (const [path, v] of Object.entries(outputs[k]!.inputs)) bytes.set(path, (bytes.get(path) ?? 0) + v.bytesInOutput);
  const inputs = [...bytes].map(([path, n]) => ({ path, bytes: n })).sort((a, b) => b.bytes - a.bytes);
  const chunks = Object.keys(outputs)
    .filter((k) => k.endsWith('.js'))
    .map((k) => {
      const code = files.get(k)!;
      const largest = Object.entries(outputs[k]!.inputs)
        .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
        .slice(0, 3)
        .map(([path]) => path.replace(/^.*node_modules\//, ''));
      return { file: k, eager: eager.has(k), minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, largest };
    })
    .sort((a, b) => (a.file === entry ? -1 : b.file === entry ? 1 : Number(b.eager) - Number(a.eager) || b.minified - a.minified));
  return { minified: eagerCode.byteLength, gzipped: gzipSync(eagerCode, { level: 9 }).byteLength, lazy, inputs, chunks };
}

const kB = (n: number): string => `${(n / 1024).toFixed(1)} kB`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = await measureClientBundle();
  const byPackage = new Map<string, number>();
  for (const { path, bytes } of size.inputs) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1]! : 'timetric (src/)';
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytes);
  }
  console.log('client bundle (TimetricClient + values$ + latest$ + writeTo, browser, minified)');
  console.log(`  loaded up front: minified ${kB(size.minified)} (budget ${kB(CLIENT_BUNDLE_BUDGET_BYTES)}), gzipped ${kB(size.gzipped)}; loaded on demand: ${kB(size.lazy)} minified`);
  console.log('  up front, by package:');
  for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`    ${name.padEnd(22)} ${kB(bytes)}`);
  console.log('  files (minified, gzipped, largest inputs):');
  for (const c of size.chunks) {
    const name = c.file.replace(/^out\//, '').replace(/-[A-Z0-9]{8}\.js$/, '.js');
    console.log(`    ${(c.eager ? 'up front ' : 'on demand').padEnd(9)} ${name.padEnd(22)} ${kB(c.minified).padStart(8)} ${kB(c.gzipped).padStart(8)}  ${c.largest.join(', ')}`);
  }
  if (size.minified > CLIENT_BUNDLE_BUDGET_BYTES) process.exitCode = 1;
}
