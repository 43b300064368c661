import type { FastifyRequest } from 'fastify';
import { AuthFailure } from '../auth/AuthFailure.js';
import type { Principal } from '../auth/Authenticator.js';
import type { ServerContext } from './ServerContext.js';

/**
 * Authenticates a request whose multipart text fields may be part of its OAuth signature (the
 * historical client's quirk). Tries at once without them; when that fails for an OAuth request, the
 * returned `later(fields)` retries once the fields have been read.
 */
export async function authenticateWrite(
  ctx: ServerContext,
  request: FastifyRequest,
  multipart: boolean,
): Promise<{ now: Principal | null; later?: (fields: Record<string, string | string[]>) => Promise<Principal | null> }> {
  try {
    return { now: await ctx.authenticate(request) };
  } catch (err) {
    if (!(err instanceof AuthFailure) || !multipart || /^Basic\s/i.test(request.headers.authorization ?? '')) throw err;
    return { now: null, later: (fields) => ctx.authenticate(request, { multipartFields: fields }) };
  }
}
