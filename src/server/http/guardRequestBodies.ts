import type { FastifyInstance } from 'fastify';
import { isForm } from './isMultipart.js';
import { limitPayloadIdle } from './limitPayloadIdle.js';

/**
 * Two server-wide rules for request bodies:
 *
 * - A body Fastify's own parsers read whole (urlencoded, JSON) fails with 408 after
 *   `bodyIdleTimeoutMs` without a byte ({@link limitPayloadIdle}); streamed bodies (CSV, multipart)
 *   are timed by the routes that read them.
 * - An answer sent before the request's body has fully arrived (a refusal before or during the
 *   upload) carries `Connection: close`. Node would otherwise read the rest of the body, however
 *   large or slow, to keep the connection alive: that is how an unauthenticated upload was read in
 *   full before its 401.
 *
 * @param app - The Fastify instance, before its routes are registered.
 * @param bodyIdleTimeoutMs - Longest silence inside a body, ms.
 */
export function guardRequestBodies(app: FastifyInstance, bodyIdleTimeoutMs: number): void {
  // A body that has fully arrived (a small form comes in the packet of its headers) cannot go
  // idle: it is parsed as it is, without the timing stream (a PassThrough and a timer a request).
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const timed = !request.raw.complete && (isForm(request) || /^application\/json\b/i.test(request.headers['content-type'] ?? ''));
    done(null, timed ? limitPayloadIdle(payload, bodyIdleTimeoutMs) : payload);
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!request.raw.complete) void reply.header('connection', 'close');
    done(null, payload);
  });
}
