import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatCsv, type CsvTimeFormat } from '../../codec/formatCsv.js';
import type { Point } from '../../codec/Point.js';
import type { ServerContext } from './ServerContext.js';
import { notModified } from './etag.js';
import { readRange } from './readRange.js';
import { seriesFor } from './seriesAccess.js';

type IdParams = { Params: { id: string } };

/**
 * `GET /series/ID/csv/`, `csv/unix.csv`, `csv/iso.csv`: the history as CSV, ascending. With
 * `limit`, one page held in memory and a `Link: rel="next"` when more remain; without, the whole
 * range streamed out of the store chunk by chunk.
 */
export function registerCsvRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const handler = (format: CsvTimeFormat) => async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const who = await ctx.authenticate(request);
    const series = await seriesFor(ctx.store, request.params.id, who, 'read');
    const url = new URL(request.url, 'http://x');
    const range = readRange(url.searchParams, ctx.options.maxPageSize);
    if (notModified(request, reply, series)) return reply.code(304).send();
    void reply.type('text/csv; charset=utf-8');
    if (range.limit === undefined) {
      const points = ctx.store.readPoints(series.id, range, 8_000);
      return reply.send(
        Readable.from(
          (async function* () {
            for await (const chunk of points) yield formatCsv(chunk, format);
          })(),
          // One chunk ahead at most: memory stays flat however slow the client reads.
          { objectMode: true, highWaterMark: 1 },
        ),
      );
    }
    const page: Point[] = [];
    for await (const chunk of ctx.store.readPoints(series.id, { ...range, limit: range.limit + 1 })) page.push(...chunk);
    if (page.length > range.limit) {
      const next = new URL(`${ctx.baseUrl(request)}${url.pathname}${url.search}`);
      next.searchParams.set('start', String(page[range.limit]![0]));
      page.length = range.limit;
      void reply.header('link', `<${next.href}>; rel="next"`);
    }
    return reply.send(formatCsv(page, format));
  };
  app.get('/series/:id/csv/', handler('unix'));
  app.get('/series/:id/csv/unix.csv', handler('unix'));
  app.get('/series/:id/csv/iso.csv', handler('iso'));
}
