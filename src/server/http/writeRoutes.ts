import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseValue } from '../../codec/parseValue.js';
import { ParseError } from '../../errors/ParseError.js';
import type { Principal } from '../auth/Authenticator.js';
import type { PointWriter, WriteMode } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';
import type { ServerContext } from './ServerContext.js';
import { authenticateWrite } from './authenticateWrite.js';
import { paramsOf, requestParams, type Params } from './formParams.js';
import { ingestCsv } from './ingestCsv.js';
import { isForm, isMultipart } from './isMultipart.js';
import { readMultipart } from './readMultipart.js';
import { CHALLENGE, seriesFor } from './seriesAccess.js';

type IdParams = { Params: { id: string } };

function number(name: string, text: string): number {
  let v;
  try {
    v = parseValue(text);
  } catch (err) {
    throw new HttpProblem(400, `invalid ${name}: ${(err as ParseError).message}`);
  }
  if (typeof v !== 'number') throw new HttpProblem(400, `invalid ${name} ${JSON.stringify(text)}: expected a number`);
  return v;
}

/** Applies `value=` or `increment=` from form fields (body first, query as fallback). */
async function applyFields(ctx: ServerContext, id: string, params: Params): Promise<void> {
  const value = params.get('value');
  const increment = params.get('increment');
  if (value !== undefined && increment !== undefined) throw new HttpProblem(400, 'send value= or increment=, not both');
  const now = ctx.options.clock();
  if (value !== undefined) {
    let v;
    try {
      v = parseValue(value);
    } catch (err) {
      throw new HttpProblem(400, `invalid value: ${(err as ParseError).message}`);
    }
    await ctx.store.appendValue(id, now, v);
  } else if (increment !== undefined) {
    await ctx.store.increment(id, now, number('increment', increment));
  } else {
    throw new HttpProblem(400, 'nothing to write: send value=V, increment=D, or a CSV body (text/csv or the multipart part "csv")');
  }
}

/** Stages then commits, aborting on any failure so nothing is half-applied. */
async function staged(writer: PointWriter, fill: () => Promise<void>): Promise<void> {
  try {
    await fill();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  await writer.commit();
}

/** `POST`, `PUT` and `DELETE /series/ID/`. */
export function registerWriteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const write = (mode: WriteMode) => async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const id = request.params.id;
    if (isMultipart(request)) {
      const auth = await authenticateWrite(ctx, request, true);
      if (auth.now === null && !auth.later) throw new HttpProblem(401, 'authentication required', CHALLENGE);
      // With a known principal the access check comes first; a deferred OAuth check comes after the fields.
      if (auth.now) await seriesFor(ctx.store, id, auth.now, 'write');
      let writer: PointWriter | undefined;
      let who: Principal | null = auth.now;
      try {
        const { fields, hadCsv } = await readMultipart(request, async (file, fieldsSoFar) => {
          writer = await ctx.store.openWriter(id, mode);
          await ingestCsv(file, writer, ctx.options.maxCsvBytes);
          void fieldsSoFar;
        });
        if (auth.later) who = await auth.later(fields);
        await seriesFor(ctx.store, id, who, 'write');
        if (hadCsv) await writer!.commit();
        else if (mode === 'merge') await applyFields(ctx, id, paramsOf(fields, new URL(request.url, 'http://x').searchParams));
        else throw new HttpProblem(400, 'PUT needs a CSV body (text/csv or the multipart part "csv")');
      } catch (err) {
        await writer?.abort();
        throw err;
      }
      return reply.code(204).send();
    }
    const who = await ctx.authenticate(request);
    await seriesFor(ctx.store, id, who, 'write');
    if (isForm(request) || request.body === undefined || request.body === null) {
      if (mode === 'replace') throw new HttpProblem(400, 'PUT needs a CSV body with Content-Type: text/csv');
      await applyFields(ctx, id, requestParams(request));
    } else {
      const writer = await ctx.store.openWriter(id, mode);
      await staged(writer, async () => void (await ingestCsv(request.body as AsyncIterable<Buffer>, writer, ctx.options.maxCsvBytes)));
    }
    return reply.code(204).send();
  };
  app.post('/series/:id/', write('merge'));
  app.put('/series/:id/', write('replace'));
  app.delete('/series/:id/', async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const who = await ctx.authenticate(request);
    const series = await seriesFor(ctx.store, request.params.id, who, 'write');
    await ctx.store.deleteSeries(series.id);
    return reply.code(204).send();
  });
}
