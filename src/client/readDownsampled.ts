import type { Observable } from 'rxjs';
import { CsvPointDecoder } from '../codec/CsvPointDecoder.js';
import { createDownsampler } from '../codec/downsample/createDownsampler.js';
import { DOWNSAMPLED_HEADER, type DownsampleSpec } from '../codec/downsample/DownsampleSpec.js';
import { downsampleSpecProblem } from '../codec/downsample/downsampleSpecProblem.js';
import { parseTime } from '../codec/parseTime.js';
import type { Point } from '../codec/Point.js';
import { ConfigurationError } from '../errors/ConfigurationError.js';
import type { DownsampleOptions } from './DownsampleOptions.js';
import { fromAbortableStream } from './fromAbortableStream.js';
import { nextPageUrl } from './nextPageUrl.js';
import { readBodyText } from './readBodyText.js';
import type { RequestSpec } from './RequestSpec.js';

/** What a downsampled read needs of the client: its request layer and base URL. */
export interface DownsampleTransport {
  readonly baseUrl: string;
  request(spec: RequestSpec): Promise<Response>;
}

/** The spec `options` stand for, checked: a {@link ConfigurationError} naming the option otherwise. */
export function downsampleSpecOf(options: DownsampleOptions): DownsampleSpec {
  const start = parseTime(options.start);
  const end = parseTime(options.end);
  const spec: DownsampleSpec = 'points' in options ? { start, end, points: options.points, agg: 'm4' } : { start, end, every: options.every, agg: options.agg ?? 'mean' };
  const problem = downsampleSpecProblem(spec);
  if (problem) throw new ConfigurationError(`values(): ${problem.message}`, problem.parameter);
  return spec;
}

/**
 * The downsampled points of `path` + `csv/` (the body of `Series.values` with `every` or
 * `points`), ascending, one at a time. Asks the server for the downsampled read; when the answer
 * carries `X-Timetric-Downsampled` its lines are the result. A server without the extension
 * ignores the parameters and sends the raw points (of the range, or of the whole history): the
 * client then folds them itself with the same code the server runs (`createDownsampler`), following
 * `Link: rel="next"` pages if the server pages, so the points are the same either way. Parsed as the
 * body arrives; in the fallback only the open bucket (column) is held. Cold: each subscription sends
 * its own request, unsubscribing aborts it. Errors with the request's error, a `ParseError` for a
 * bad line, or (at once) a `ConfigurationError` naming a bad option.
 *
 * @example
 * ```ts
 * readDownsampled(client, `/series/${id}/`, { start: 0, end: 86_400, every: 3600, agg: 'max' }).subscribe(console.log);
 * ```
 */
export function readDownsampled(transport: DownsampleTransport, path: string, options: DownsampleOptions): Observable<Point> {
  return fromAbortableStream<Point>(async (stream) => {
    const { subscriber, signal } = stream;
    const spec = downsampleSpecOf(options);
    const query: Record<string, string> =
      spec.agg === 'm4'
        ? { start: String(spec.start), end: String(spec.end), points: String(spec.points), agg: 'm4' }
        : { start: String(spec.start), end: String(spec.end), every: String(spec.every), agg: spec.agg };
    let r = await transport.request({ method: 'GET', path: `${path}csv/`, query, signal });
    const emit = (p: Point): void => {
      if (!stream.closed) subscriber.next(p);
    };
    if (r.headers.get(DOWNSAMPLED_HEADER) !== null) {
      const decoder = new CsvPointDecoder();
      await readBodyText(r, (text) => decoder.push(text).forEach(emit), signal);
      decoder.end().forEach(emit);
      return;
    }
    // No extension: the raw points, folded here.
    const ds = createDownsampler(spec);
    for (;;) {
      const decoder = new CsvPointDecoder();
      const fold = (points: readonly Point[]): void => {
        for (const [t, v] of points) ds.point(t, v);
        ds.take().forEach(emit);
      };
      await readBodyText(r, (text) => fold(decoder.push(text)), signal);
      fold(decoder.end());
      const next = nextPageUrl(r.headers.get('link'), r.url || `${transport.baseUrl}${path}csv/`, transport.baseUrl);
      if (next === undefined || stream.closed) break;
      r = await transport.request({ method: 'GET', path: next, signal });
    }
    ds.finish();
    ds.take().forEach(emit);
  });
}
