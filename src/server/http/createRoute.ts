import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NewSeries, PointWriter } from '../store/Store.js';
import type { ServerContext } from './ServerContext.js';
import type { WriteGate } from './WriteGate.js';
import { paramsOf, requestParams } from './formParams.js';
import { ingestCsv } from './ingestCsv.js';
import { isForm, isMultipart } from './isMultipart.js';
import { mintSeriesId } from '../ids.js';
import { limitBodyIdle } from './limitBodyIdle.js';
import { readMultipart } from './readMultipart.js';
import { seriesMetadata } from './seriesMetadata.js';
import { searchParamsOf } from './searchParamsOf.js';

/**
 * `POST /create/`: metadata as (a) multipart fields with an optional `csv` file part, (b) the query
 * string with a raw `text/csv` body, or (c) an urlencoded body. The series and its initial data are
 * committed together or not at all. Answers `303 See Other` with `Location: <base>/series/ID/`, or
 * `201 Created` with the same `Location` and a JSON body `{id, url}` when the client accepts JSON
 * (a browser cannot read a redirect's Location).
 *
 * The gate has checked the credentials (and taken the admission slot) before any of the body is
 * read, except for a multipart body signed over its text fields: that one is checked here, with the
 * fields read so far, before its `csv` part is read.
 */
export function registerCreateRoute(app: FastifyInstance, ctx: ServerContext, gate: WriteGate): void {
  const hooks = { onRequest: gate.onRequest, preHandler: gate.preHandler };
  const idleMs = ctx.options.bodyIdleTimeoutMs;
  app.post('/create/', hooks, async (request: FastifyRequest, reply: FastifyReply) => {
    const id = mintSeriesId();
    const query = searchParamsOf(request);
    if (isMultipart(request)) {
      // The store reads `create` at commit time, once the fields (and a deferred principal) are known.
      const create = {} as NewSeries;
      let writer: PointWriter | undefined;
      try {
        const limits = { maxFieldsBytes: ctx.options.maxFormBytes, bodyIdleTimeoutMs: idleMs };
        const { fields } = await readMultipart(request, limits, async (file, fieldsSoFar) => {
          await gate.writer(request, reply, fieldsSoFar);
          writer = await ctx.store.openWriter(id, 'merge', create);
          await ingestCsv(file, writer, ctx.options);
        });
        const who = await gate.writer(request, reply, fields);
        Object.assign(create, seriesMetadata(id, who, paramsOf(fields, query), ctx.options));
        if (writer) await writer.commit();
        else await ctx.store.createSeries(create);
      } catch (err) {
        await writer?.abort();
        throw err;
      }
    } else {
      const who = await gate.writer(request, reply, {});
      const meta = seriesMetadata(id, who, requestParams(request), ctx.options);
      if (isForm(request) || request.body === undefined || request.body === null) {
        await ctx.store.createSeries(meta);
      } else {
        const writer = await ctx.store.openWriter(id, 'merge', meta);
        try {
          await ingestCsv(limitBodyIdle(request.body as AsyncIterable<Buffer>, idleMs), writer, ctx.options);
        } catch (err) {
          await writer.abort();
          throw err;
        }
        await writer.commit();
      }
    }
    const location = `${ctx.baseUrl(request)}/series/${id}/`;
    void reply.header('location', location);
    if (/application\/json/i.test(request.headers.accept ?? '')) {
      return reply.code(201).type('application/json; charset=utf-8').send(JSON.stringify({ id, url: location }));
    }
    return reply.code(303).type('text/plain; charset=utf-8').send(`created ${location}\n`);
  });
}
