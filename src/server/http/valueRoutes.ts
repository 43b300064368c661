import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Point } from '../../codec/Point.js';
import type { LatestWithVersion } from '../store/Store.js';
import type { ServerContext } from './ServerContext.js';
import { EventStreamKeeper } from './EventStreamKeeper.js';
import { LatestFanout } from './LatestFanout.js';
import { notModified } from './etag.js';
import { seriesFor } from './seriesAccess.js';

type IdParams = { Params: { id: string } };

const json = (p: Point | undefined): string => JSON.stringify({ timestamp: p?.[0] ?? null, value: p === undefined ? null : p[1] });

/**
 * `GET /series/ID/value/json/` (the latest point, `{"timestamp":null,"value":null}` when empty) and
 * the extension `GET /series/ID/value/events/`: Server-Sent Events, the current value first, one
 * event per change, `: heartbeat` comments. `streams` collects open event streams so that closing
 * the server can end them.
 *
 * Neither reads the series' metadata. Event streams of one series share one read per change
 * ({@link LatestFanout}); a stream whose reader does not keep up is sent only the newest value
 * once it drains (the events are latest values, so nothing but intermediate states is skipped,
 * and its buffer stays at one event). Streams opened with credentials end within one heartbeat
 * of those credentials being revoked ({@link EventStreamKeeper}).
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
  const fanout = new LatestFanout(ctx.store);
  const keeper = new EventStreamKeeper(ctx.options.heartbeatMs, ctx.authenticator);
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
    res.write('retry: 2000\n\n');
    // Snapshots may arrive out of order (this stream's first read against the hub's): versions
    // only grow, so an older one is dropped; a change that left the latest point as it was
    // (a point merged in the past) sends nothing.
    let lastVersion = -1;
    let lastData = '';
    let pending: string | undefined;
    const send = (snapshot: LatestWithVersion | 'deleted' | 'failed'): void => {
      if (res.writableEnded) return;
      if (snapshot === 'deleted') return void res.end('event: deleted\ndata: {}\n\n');
      if (snapshot === 'failed') return void res.end();
      if (snapshot.version <= lastVersion) return;
      lastVersion = snapshot.version;
      const data = json(snapshot.latest);
      if (data === lastData) return;
      lastData = data;
      const event = `id: ${snapshot.version}\ndata: ${data}\n\n`;
      if (res.writableNeedDrain) pending = event;
      else res.write(event);
    };
    const drained = (): void => {
      const event = pending;
      pending = undefined;
      if (event !== undefined && !res.writableEnded) res.write(event);
    };
    res.on('drain', drained);
    const unsubscribe = fanout.subscribe(series.id, send);
    const release = keeper.keep(res, who);
    res.on('close', () => {
      unsubscribe();
      release();
      streams.delete(res);
    });
    // Subscribed first, then read: a change in between is not missed, only seen twice (and dropped by version).
    try {
      send((await ctx.store.latestWithVersion(series.id)) ?? 'deleted');
    } catch {
      send('failed');
    }
  });
}
