import type { Series } from '../index.js';

/**
 * Saves the raw points of `series` in `[start, end)` as a CSV file named `name` (one request, the
 * server's own CSV, with the page's credentials), through a temporary `blob:` link.
 */
export async function downloadCsv(series: Series, start: number, end: number, name: string): Promise<void> {
  const response = await series.client.request({ method: 'GET', path: `${series.path}csv/`, query: { start: String(start), end: String(end) } });
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
