import { ConfigurationError } from '../errors/ConfigurationError.js';
import { TimetricError } from '../errors/TimetricError.js';
import { encodeSeriesData, type SeriesData } from './encodeSeriesData.js';
import type { ClientContext } from './ClientContext.js';

/** Metadata of a new series: `title` and `caption` required; other fields stored verbatim. */
export interface SeriesMetadata {
  title: string;
  caption: string;
  description?: string;
  /** An array, or one comma-separated string. */
  tags?: readonly string[] | string;
  /** Readable by anyone (default false). */
  public?: boolean;
  [field: string]: string | number | boolean | readonly string[] | undefined;
}

function fields(metadata: SeriesMetadata): Record<string, string> {
  for (const key of ['title', 'caption'] as const) {
    if (typeof metadata[key] !== 'string' || metadata[key].trim() === '') {
      throw new ConfigurationError(`a new series needs a ${key}`, key);
    }
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

/**
 * `POST /create/`: metadata alone as an urlencoded form, or with data as the query string plus a
 * raw text/csv body (both historical encodings). Asks for JSON so that browsers, which cannot read
 * a redirect's `Location`, get `201 {id}`; a historical server's `303` is read from `Location`
 * (second-to-last path piece), never followed.
 */
export async function createSeriesRequest(client: ClientContext, metadata: SeriesMetadata, data?: SeriesData): Promise<string> {
  const meta = fields(metadata);
  const accept = { accept: 'application/json' };
  const response =
    data === undefined
      ? await client.request({ method: 'POST', path: '/create/', form: meta, headers: accept, accept: [201, 302, 303] })
      : await client.request({
          method: 'POST',
          path: '/create/',
          query: meta,
          body: (await encodeSeriesData(data)).csv,
          headers: { ...accept, 'content-type': 'text/csv' },
          accept: [201, 302, 303],
        });
  const location = response.headers.get('location');
  if (location) {
    await response.arrayBuffer().catch(() => undefined);
    const id = new URL(location, client.baseUrl).pathname.split('/').filter(Boolean).at(-1);
    if (id) return id;
  }
  if (response.status === 201) {
    const body = (await response.json()) as { id?: string };
    if (body.id) return body.id;
  }
  throw new TimetricError(`/create/ answered ${response.status} without a series id (no Location header)`);
}
