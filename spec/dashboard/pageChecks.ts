// Measurements the year checks and bench/dashboard.ts share: the first draw of a view after
// navigation (time and JS heap), a drag over a time span of the chart, and how many pixels two
// canvases differ in.
import type { Browser, Page } from 'playwright-core';
import { openPage } from './dashboardFixture.js';

/** Time from navigation start to the first draw of every series of the view, ms, and the JS heap then, bytes. */
export interface FirstDraw {
  ms: number;
  /** The longest of the page's CSV reads, from sending it to its last byte, ms: the server's part. */
  readMs: number;
  heapBytes: number;
  page: Page;
  errors: string[];
}

/** Opens `url` in a new browser context (nothing cached) and waits for the first draw of every series. */
export async function firstDraw(browser: Browser, url: string, viewport = { width: 1280, height: 720 }): Promise<FirstDraw> {
  const { page, errors } = await openPage(browser, viewport);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.firstDraw !== undefined, null, { timeout: 60_000 });
  const ms = Number(await page.evaluate(() => document.documentElement.dataset.firstDraw));
  const readMs = await page.evaluate(() =>
    Math.max(0, ...performance.getEntriesByType('resource').filter((e) => e.name.includes('/csv/')).map((e) => (e as PerformanceResourceTiming).responseEnd - (e as PerformanceResourceTiming).requestStart)),
  );
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heapBytes = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  await cdp.detach();
  return { ms, readMs, heapBytes, page, errors };
}

/** The window the first chart shows, unix seconds. */
export function shownWindow(page: Page): Promise<{ start: number; end: number }> {
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('.chart .plot')!;
    return { start: Number(el.dataset.start), end: Number(el.dataset.end) };
  });
}

/** Drags across the first chart from time `a` to time `b` (a zoom), then waits for the view's data. */
export async function dragZoom(page: Page, a: number, b: number): Promise<void> {
  const w = await shownWindow(page);
  const box = (await page.locator('.chart .u-over').first().boundingBox())!;
  const x = (t: number): number => box.x + ((t - w.start) / (w.end - w.start)) * box.width;
  const loads = await page.evaluate(() => Number(document.documentElement.dataset.loads ?? 0));
  await page.mouse.move(x(a), box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(x(b), box.y + box.height / 2, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.loads ?? 0) > n, loads, { timeout: 60_000 });
}

/** The first chart's canvas as a PNG data URL. */
export function canvasImage(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector<HTMLCanvasElement>('.chart canvas')!.toDataURL('image/png'));
}

// Run in the page as text: tsx (esbuild's keepNames) would wrap named inner functions of a
// page.evaluate callback in a __name() helper that the page does not have.
const COMPARE = `async ([x, y]) => {
  const load = (src) => new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('image did not load'));
    img.src = src;
  });
  const [ia, ib] = await Promise.all([load(x), load(y)]);
  if (ia.width !== ib.width || ia.height !== ib.height) throw new Error('sizes differ: ' + ia.width + 'x' + ia.height + ' vs ' + ib.width + 'x' + ib.height);
  const pixels = (img) => {
    const c = document.createElement('canvas');
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    return ctx.getImageData(0, 0, c.width, c.height).data;
  };
  const pa = pixels(ia);
  const pb = pixels(ib);
  let differing = 0;
  for (let i = 0; i < pa.length; i += 4) {
    if (pa[i] !== pb[i] || pa[i + 1] !== pb[i + 1] || pa[i + 2] !== pb[i + 2] || pa[i + 3] !== pb[i + 3]) differing++;
  }
  return { differing, total: pa.length / 4 };
}`;

/** Pixels of two same-sized PNG data URLs that differ in any channel, and the pixels in all (compared in a blank page of `browser`). */
export async function differingPixels(browser: Browser, a: string, b: string): Promise<{ differing: number; total: number }> {
  const page = await browser.newPage();
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the page's function from its text (see COMPARE)
    const compare = new Function('pair', `return (${COMPARE})(pair);`) as (pair: [string, string]) => Promise<{ differing: number; total: number }>;
    return await page.evaluate(compare, [a, b] as [string, string]);
  } finally {
    await page.close();
  }
}
