// The dashboard page's figures over a year at 1 Hz (issue 12): our server on SQLite holding
// 31,536,000 points (written in bulk through the store and compacted, cached in var/cache; see
// spec/dashboard/yearDatabase.ts), the page built as `npm run build` builds it, Chromium through
// playwright-core. Prints, as medians of BENCH_RUNS (default 3) fresh page loads, the time from
// navigation to the first draw of the year and the JS heap then, the time of each zoom from the year
// down to a minute (one request each), and the load average.
// Usage: npm run bench:dashboard
import { loadavg } from 'node:os';
import { createTimetricServer } from '../src/server/createTimetricServer.js';
import { openSqliteStore } from '../src/server/store/sqlite/openSqliteStore.js';
import { buildDashboard, launchChromium } from '../spec/dashboard/dashboardFixture.js';
import { dragZoom, firstDraw } from '../spec/dashboard/pageChecks.js';
import { yearDatabase } from '../spec/dashboard/yearDatabase.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const built = buildDashboard();
const year = await yearDatabase(console.log);
const store = await openSqliteStore(year.path);
const server = createTimetricServer({ store, dashboard: built.dir });
const url = await server.listen({ port: 0 });
const browser = await launchChromium();
try {
  console.log(`dashboard over a year at 1 Hz (${year.seconds.toLocaleString('en-US')} points, SQLite), ${RUNS} runs, load average ${load()}`);
  const page = `${url}/dashboard/?s=${year.id}&range=custom&start=${year.start}&end=${year.start + year.seconds}`;
  const draws: number[] = [];
  const reads: number[] = [];
  const heaps: number[] = [];
  const zooms: number[][] = [[], [], []];
  const spans = [3 * 86_400, 3600, 60];
  for (let run = 0; run < RUNS; run++) {
    const first = await firstDraw(browser, page);
    draws.push(first.ms);
    reads.push(first.readMs);
    heaps.push(first.heapBytes);
    const middle = year.start + Math.floor(year.seconds / 2) + 0.5;
    for (const [k, span] of spans.entries()) {
      const t0 = performance.now();
      await dragZoom(first.page, middle - span / 2, middle + span / 2);
      zooms[k]!.push(performance.now() - t0);
    }
    if (first.errors.length) console.log(`page errors: ${first.errors.join('; ')}`);
    await first.page.context().close();
  }
  const floor = (ok: boolean): string => (ok ? 'floor met' : 'FLOOR MISSED');
  console.log(`first draw after navigation   median ${median(draws).toFixed(0)} ms (runs ${draws.map((d) => d.toFixed(0)).join(', ')}; floor 2,000 ms, goal 500 ms: ${floor(median(draws) <= 2000)})`);
  console.log(`  of which the M4 read       median ${median(reads).toFixed(0)} ms (the server's answer, request to last byte)`);
  console.log(`JS heap at the first draw     median ${(median(heaps) / 1e6).toFixed(1)} MB (floor 80 MB, goal 30 MB: ${floor(median(heaps) <= 80e6)})`);
  for (const [k, span] of spans.entries()) console.log(`zoom to ${String(span).padStart(6)} s (drag, one request) median ${median(zooms[k]!).toFixed(0)} ms`);
  console.log(`load average ${load()}`);
} finally {
  await browser.close();
  await server.close();
  await store.close();
  built.remove();
}
