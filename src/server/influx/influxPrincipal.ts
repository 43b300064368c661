import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/Authenticator.js';
import type { ServerContext } from '../http/ServerContext.js';

/**
 * The writer of an InfluxDB request, from its headers and URL alone (the body is never read
 * first). An API token travels the ways InfluxDB clients send credentials:
 *
 * - `Authorization: Token KEY:SECRET` (2.x clients; 1.8+ accepts it too),
 * - `Authorization: Basic base64(KEY:SECRET)` (1.x clients given a user name and password),
 * - `?u=KEY&p=SECRET` in the query (1.x clients, Telegraf's `outputs.influxdb` without Basic).
 *
 * Each becomes the Basic form the authenticator checks; OAuth headers are checked as they are.
 *
 * @param ctx - The server context.
 * @param request - The request, body unread.
 * @returns The principal, or null when no credentials came.
 * @throws AuthFailure when credentials came but do not check out.
 */
export async function influxPrincipal(ctx: ServerContext, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  let basic: string | undefined;
  if (header !== undefined) {
    const token = /^\s*Token\s+(\S+)\s*$/i.exec(header)?.[1];
    if (token === undefined) return ctx.authenticate(request);
    basic = `Basic ${Buffer.from(token).toString('base64')}`;
  } else {
    const query = request.query as Record<string, unknown>;
    const u = query.u;
    const p = query.p;
    if (typeof u !== 'string' || typeof p !== 'string') return null;
    basic = `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
  }
  return ctx.authenticate(request, { headers: { ...request.headers, authorization: basic } });
}
