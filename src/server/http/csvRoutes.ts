import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { encodeCsvColumns } from '../../codec/encodeCsvColumns.js';
import { formatCsv, type CsvTimeFormat } from '../../codec/formatCsv.js';
import { createDownsampler } from '../../codec/downsample/createDownsampler.js';
import { downsampleHeader, type DownsampleSpec } from '../../codec/downsample/DownsampleSpec.js';
import type { Point } from '../../codec/Point.js';
import type { PointRange, Store } from '../store/Store.js';
import type { ServerContext } from './ServerContext.js';
import { notModified } from './etag.js';
import { readDownsample } from './readDownsample.js';
import { readRange } from './readRange.js';
import { seriesFor } from './seriesAccess.js';

type IdParams = { Params: { id: string } };

/** Points per chunk read from the store and written to the socket. */
const CHUNK = 8_000;

/** The range's CSV, chunk by chunk, as bytes; one chunk ahead at most, however slow the client. */
function csvStream(store: Store, id: string, range: PointRange, format: CsvTimeFormat): Readable {
  const columns = store.readPointColumns?.(id, range, CHUNK);
  return Readable.from(
    columns
      ? (async function* () {
          for await (const { times, values } of columns) {
            const bytes = encodeCsvColumns(times, values, format);
            yield Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          }
        })()
      : (async function* () {
          for await (const chunk of store.readPoints(id, range, CHUNK)) yield formatCsv(chunk, format);
        })(),
    { objectMode: true, highWaterMark: 1 },
  );
}

/**
 * The downsampled read's CSV, piece by piece: from the store's chunk summaries when it has
 * `downsample`, otherwise folded here from its range read (same points, slower).
 */
function downsampledCsv(store: Store, id: string, spec: DownsampleSpec, format: CsvTimeFormat): Readable {
  const pieces: AsyncIterable<Point[]> = store.downsample
    ? store.downsample(id, spec)
    : (async function* () {
        const ds = createDownsampler(spec);
        for await (const chunk of store.readPoints(id, { start: spec.start, end: spec.end }, CHUNK)) {
          for (const [t, v] of chunk) ds.point(t, v);
          yield ds.take();
        }
        ds.finish();
        yield ds.take();
      })();
  return Readable.from(
    (async function* () {
      for await (const piece of pieces) if (piece.length > 0) yield formatCsv(piece, format);
    })(),
    { objectMode: true, highWaterMark: 1 },
  );
}

/**
 * `GET /series/ID/csv/`, `csv/unix.csv`, `csv/iso.csv`: the history as CSV, ascending, streamed
 * out of the store chunk by chunk. With `limit`, one page and a `Link: rel="next"` when more
 * remain: when the store can tell where the next page starts ({@link Store.pageEnd}) the `Link`
 * goes out first and the page (the points before that time) is streamed too; otherwise the page
 * is read into memory first. With `every`/`points` (and the `downsample` option on), the
 * downsampled read of the range, with `X-Timetric-Downsampled` saying how (see readDownsample).
 */
export function registerCsvRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const handler = (format: CsvTimeFormat) => async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const who = await ctx.authenticate(request);
    const series = await seriesFor(ctx.store, request.params.id, who, 'read');
    const url = new URL(request.url, 'http://x');
    const range = readRange(url.searchParams, ctx.options.maxPageSize);
    const downsample = ctx.options.downsample ? readDownsample(url.searchParams, range) : undefined;
    if (notModified(request, reply, series)) return reply.code(304).send();
    void reply.type('text/csv; charset=utf-8');
    if (downsample) {
      void reply.header('x-timetric-downsampled', downsampleHeader(downsample));
      return reply.send(downsampledCsv(ctx.store, series.id, downsample, format));
    }
    if (range.limit === undefined) return reply.send(csvStream(ctx.store, series.id, range, format));
    const link = (start: number): string => {
      const next = new URL(`${ctx.baseUrl(request)}${url.pathname}${url.search}`);
      next.searchParams.set('start', String(start));
      return `<${next.href}>; rel="next"`;
    };
    if (ctx.store.pageEnd && ctx.store.readPointColumns) {
      const next = await ctx.store.pageEnd(series.id, range, range.limit);
      if (next === undefined) return reply.send(csvStream(ctx.store, series.id, { start: range.start, end: range.end }, format));
      void reply.header('link', link(next));
      // Bounded by time, not count: the next page starts exactly where this one stops, even if
      // points are written meanwhile.
      return reply.send(csvStream(ctx.store, series.id, { start: range.start, end: next }, format));
    }
    const page: Point[] = [];
    for await (const chunk of ctx.store.readPoints(series.id, { ...range, limit: range.limit + 1 })) page.push(...chunk);
    if (page.length > range.limit) {
      void reply.header('link', link(page[range.limit]![0]));
      page.length = range.limit;
    }
    return reply.send(formatCsv(page, format));
  };
  app.get('/series/:id/csv/', handler('unix'));
  app.get('/series/:id/csv/unix.csv', handler('unix'));
  app.get('/series/:id/csv/iso.csv', handler('iso'));
}
