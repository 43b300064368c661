import { defer, switchMap, type Observable } from 'rxjs';
import type { Point } from '../codec/Point.js';
import type { LiveWindowOptions, LiveWindowSources } from '../streams/liveDownsampled.js';
import type { DownsampleOptions } from './DownsampleOptions.js';
import type { DownsampleTransport } from './readDownsampled.js';

/**
 * `readDownsampled` loaded on first subscription: it, the live window, the downsamplers (bucket
 * folds, M4) and the option checks are a chunk of their own (`downsampleChunk.ts`), so a page that never reads downsampled does not load
 * them. The same points, completion and errors as `readDownsampled` (whose work starts after a
 * promise anyway): a bad option still errors the stream before any request. Cold; unsubscribing
 * while the chunk loads sends nothing.
 *
 * @param transport - The client's request layer and base URL.
 * @param path - The series path, `/series/ID/`.
 * @param options - The downsampled read, see `DownsampleOptions`.
 * @returns The downsampled points, ascending.
 */
export function lazyReadDownsampled(transport: DownsampleTransport, path: string, options: DownsampleOptions): Observable<Point> {
  return defer(() => import('./downsampleChunk.js')).pipe(switchMap((m) => m.readDownsampled(transport, path, options)));
}

/**
 * `liveDownsampled` loaded on first subscription (see {@link lazyReadDownsampled}): the same
 * window, updates, completion and errors.
 *
 * @param sources - The history, raw and latest streams of the series.
 * @param options - The window's start, bucket width and aggregate.
 * @returns The window, a new array each time it changes.
 */
export function lazyLiveDownsampled(sources: LiveWindowSources, options: LiveWindowOptions): Observable<readonly Point[]> {
  return defer(() => import('./downsampleChunk.js')).pipe(switchMap((m) => m.liveDownsampled(sources, options)));
}
