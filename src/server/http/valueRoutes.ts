import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Point } from '../../codec/Point.js';
import type { ServerContext } from './ServerContext.js';
import { notModified } from './etag.js';
import { seriesFor } from './seriesAccess.js';

type IdParams = { Params: { id: string } };

const json = (p: Point | undefined): string => JSON.stringify({ timestamp: p?.[0] ?? null, value: p === undefined ? null : p[1] });

/**
 * `GET /series/ID/value/json/` (the latest point, `{"timestamp":null,"value":null}` when empty) and
 * the extension `GET /series/ID/value/events/`: Server-Sent Events, the current value first, one
 * event per change, `: heartbeat` comments. `streams` collects open event streams so that closing
 * the server can end them.
 */
export function registerValueRoutes(app: FastifyInstance, ctx: ServerContext, streams: Set<ServerResponse>): void {
  app.get('/series/:id/value/json/', async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const who = await ctx.authenticate(request);
    const series = await seriesFor(ctx.store, request.params.id, who, 'read');
    if (notModified(request, reply, series)) return reply.code(304).send();
    const latest = await ctx.store.latest(series.id);
    return reply.type('application/json; charset=utf-8').send(json(latest));
  });

  if (!ctx.options.push) return;
  app.get('/series/:id/value/events/', async (request: FastifyRequest<IdParams>, reply: FastifyReply) => {
    const who = await ctx.authenticate(request);
    const series = await seriesFor(ctx.store, request.params.id, who, 'read');
    const res = reply.raw;
    reply.hijack();
    const headers: Record<string, string | number | string[]> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    streams.add(res);
    let last = '';
    let busy = false;
    let again = false;
    // One read at a time, in order: a burst of writes gives at most one stale-free event after it.
    const push = async (): Promise<void> => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          const exists = await ctx.store.getSeries(series.id);
          if (!exists) {
            res.end('event: deleted\ndata: {}\n\n');
            return;
          }
          const data = json(await ctx.store.latest(series.id));
          if (data !== last && !res.writableEnded) {
            last = data;
            res.write(`id: ${exists.version}\ndata: ${data}\n\n`);
          }
        } while (again);
      } catch {
        res.end();
      } finally {
        busy = false;
      }
    };
    res.write('retry: 2000\n\n');
    const stop = ctx.store.onChange((id) => {
      if (id === series.id) void push();
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), ctx.options.heartbeatMs);
    heartbeat.unref();
    const cleanup = (): void => {
      clearInterval(heartbeat);
      stop();
      streams.delete(res);
    };
    res.on('close', cleanup);
    await push();
  });
}
