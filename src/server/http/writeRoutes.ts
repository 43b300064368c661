import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PointValue } from '../../codec/Point.js';
import { parseValue } from '../../codec/parseValue.js';
import { quoteExcerpt } from '../../codec/quoteExcerpt.js';
import { ParseError } from '../../errors/ParseError.js';
import type { PointWriter, WriteMode } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';
import type { ServerContext } from './ServerContext.js';
import type { WriteGate } from './WriteGate.js';
import { formFields } from '../auth/toAuthRequest.js';
import { paramsOf, type Params } from './formParams.js';
import { idempotencyKeyOf, requestFingerprint } from './idempotency.js';
import { ingestCsv } from './ingestCsv.js';
import { isForm, isMultipart } from './isMultipart.js';
import { limitBodyIdle } from './limitBodyIdle.js';
import { readMultipart } from './readMultipart.js';
import { seriesFor } from './seriesAccess.js';
import { searchParamsOf } from './searchParamsOf.js';

type IdParams = { Params: { id: string } };

/** A form field's value, or a 400 naming the field. */
function fieldValue(name: string, text: string): PointValue {
  try {
    return parseValue(text);
  } catch (err) {
    throw new HttpProblem(400, `invalid ${name}: ${(err as ParseError).message}`);
  }
}

function number(name: string, text: string): number {
  const v = fieldValue(name, text);
  if (typeof v !== 'number') throw new HttpProblem(400, `invalid ${name} ${quoteExcerpt(text)}: expected a number`);
  return v;
}

/**
 * Applies `value=` or `increment=` from form fields (body first, query as fallback). An increment
 * with an `Idempotency-Key` is applied at most once per key (issue 14); returns whether this
 * request repeated a key seen before (answered as the first time, not applied again).
 */
async function applyFields(ctx: ServerContext, id: string, params: Pick<Params, 'get'>, key: string | undefined): Promise<{ replayed: boolean }> {
  const value = params.get('value');
  const increment = params.get('increment');
  if (value !== undefined && increment !== undefined) throw new HttpProblem(400, 'send value= or increment=, not both');
  const now = ctx.options.clock();
  if (value !== undefined) {
    await ctx.store.appendValue(id, now, fieldValue('value', value));
  } else if (increment !== undefined) {
    const delta = number('increment', increment);
    if (key !== undefined && ctx.store.incrementOnce) {
      const claim = { key, fingerprint: requestFingerprint(`increment=${delta}`), now, windowSeconds: ctx.options.idempotencyWindowSeconds };
      const outcome = await ctx.store.incrementOnce(id, now, delta, claim);
      if (outcome.kind === 'mismatch') throw new HttpProblem(422, `Idempotency-Key ${JSON.stringify(key)} was already used for another request to this series: use a new key for a new request`);
      return { replayed: outcome.kind === 'repeated' };
    }
    await ctx.store.increment(id, now, delta);
  } else {
    throw new HttpProblem(400, 'nothing to write: send value=V, increment=D, or a CSV body (text/csv or the multipart part "csv")');
  }
  return { replayed: false };
}

/**
 * `requestParams(request).get` without building the whole lookup (every `value=` append asks for
 * two names): the urlencoded body's field first, then the query string's, each read on first use.
 */
function formThenQuery(request: FastifyRequest): Pick<Params, 'get'> {
  let form: Record<string, string | string[]> | undefined | null = null;
  let query: URLSearchParams | undefined;
  return {
    get(name) {
      if (form === null) form = isForm(request) ? formFields(request.body) : undefined;
      const field = form?.[name];
      if (field !== undefined) return Array.isArray(field) ? field[0] : field;
      return (query ??= searchParamsOf(request)).get(name) ?? undefined;
    },
  };
}

/** Stages then commits, aborting on any failure so nothing is half-applied; returns the commit's answer. */
async function staged(writer: PointWriter, fill: () => Promise<void>): Promise<Awaited<ReturnType<PointWriter['commit']>>> {
  try {
    await fill();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.commit();
}

/** `X-Timetric-Replaced`: how many points of a write replaced a stored point at the same time (when the store counts them). */
function reportReplaced(reply: FastifyReply, replaced: number | undefined): void {
  if (replaced !== undefined) void reply.header('x-timetric-replaced', String(replaced));
}

/**
 * `POST`, `PUT` and `DELETE /series/ID/`. The gate has checked the credentials (and taken the
 * admission slot) before any of the body is read, except for a multipart body signed over its text
 * fields: that one is checked here, with the fields, before its `csv` part is read.
 */
export function registerWriteRoutes(app: FastifyInstance, ctx: ServerContext, gate: WriteGate): void {
  const hooks = { onRequest: gate.onRequest, preHandler: gate.preHandler };
  const idleMs = ctx.options.bodyIdleTimeoutMs;
  const write = (mode: WriteMode) => async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const id = request.params.id;
    if (isMultipart(request)) {
      // With a known writer the access check comes first; a deferred OAuth check comes with the
      // fields, before the csv part is read.
      let checked = false;
      const writerFor = async (fields: Record<string, string | string[]>): Promise<void> => {
        if (checked) return;
        await seriesFor(ctx.store, id, await gate.writer(request, reply, fields), 'write');
        checked = true;
      };
      if (gate.principal(request)) await writerFor({});
      let writer: PointWriter | undefined;
      let replayed = false;
      try {
        const limits = { maxFieldsBytes: ctx.options.maxFormBytes, bodyIdleTimeoutMs: idleMs };
        const { fields, hadCsv } = await readMultipart(request, limits, async (file, fieldsSoFar) => {
          await writerFor(fieldsSoFar);
          writer = await ctx.store.openWriter(id, mode);
          await ingestCsv(file, writer, ctx.options);
        });
        await writerFor(fields);
        if (hadCsv) reportReplaced(reply, (await writer!.commit()).replaced);
        else if (mode === 'merge') replayed = (await applyFields(ctx, id, paramsOf(fields, searchParamsOf(request)), idempotencyKeyOf(request))).replayed;
        else throw new HttpProblem(400, 'PUT needs a CSV body (text/csv or the multipart part "csv")');
      } catch (err) {
        await writer?.abort();
        throw err;
      }
      if (replayed) void reply.header('idempotent-replayed', 'true');
      return reply.code(204).send();
    }
    await seriesFor(ctx.store, id, await gate.writer(request, reply, {}), 'write');
    if (isForm(request) || request.body === undefined || request.body === null) {
      if (mode === 'replace') throw new HttpProblem(400, 'PUT needs a CSV body with Content-Type: text/csv');
      if ((await applyFields(ctx, id, formThenQuery(request), idempotencyKeyOf(request))).replayed) void reply.header('idempotent-replayed', 'true');
    } else {
      const writer = await ctx.store.openWriter(id, mode);
      const body = limitBodyIdle(request.body as AsyncIterable<Buffer>, idleMs);
      reportReplaced(reply, (await staged(writer, async () => void (await ingestCsv(body, writer, ctx.options)))).replaced);
    }
    return reply.code(204).send();
  };
  app.post<IdParams>('/series/:id/', hooks, write('merge'));
  app.put<IdParams>('/series/:id/', hooks, write('replace'));
  app.delete<IdParams>('/series/:id/', hooks, async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const series = await seriesFor(ctx.store, request.params.id, await gate.writer(request, reply, {}), 'write');
    await ctx.store.deleteSeries(series.id);
    return reply.code(204).send();
  });
}
