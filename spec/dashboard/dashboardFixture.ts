// Shared by the dashboard specs: the page built once per spec file into a temporary folder (so a
// concurrent `tsup` cleaning dist/ cannot pull it away), our server started on port 0 serving it,
// and Chromium opened on it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/launchChromium.js';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Builds the page with scripts/build-dashboard.mjs into a new temporary folder; `remove()` deletes it. */
export function buildDashboard(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'timetric-dashboard-build-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-dashboard.mjs'), dir], { stdio: 'pipe' });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A Chromium page in UTC, collecting page errors and console errors (CSP violations among them). */
export async function openPage(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport, timezoneId: 'UTC', locale: 'en-GB', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return { page, errors };
}

export { launchChromium };
