import type { FastifyInstance } from 'fastify';

const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE']);
const isSeriesWrite = (method: string, url: string): boolean =>
  WRITE_METHODS.has(method) && (url.startsWith('/series/') || url.startsWith('/create'));

/**
 * Admission control for writes: at most `max` series writes (POST, PUT, DELETE under `/series/`
 * and `/create/`) are in progress at once; one more is refused before its body is read with
 * `503 Service Unavailable` and `Retry-After: retryAfterSeconds`, which applies nothing (so any
 * client may retry it, increments included). Reads are never refused. A write counts until its
 * response is finished or its connection closes.
 */
export function registerWriteAdmission(app: FastifyInstance, max: number, retryAfterSeconds: number): void {
  if (!Number.isFinite(max)) return;
  let active = 0;
  app.addHook('onRequest', (request, reply, done) => {
    if (!isSeriesWrite(request.method, request.url)) return done();
    if (active >= max) {
      void reply
        .code(503)
        .header('retry-after', String(retryAfterSeconds))
        .header('connection', 'close')
        .type('text/plain; charset=utf-8')
        .send(`${active} writes in progress (the server's limit); nothing was applied, retry after ${retryAfterSeconds} s\n`);
      return;
    }
    active++;
    let counted = true;
    const release = (): void => {
      if (counted) active--;
      counted = false;
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
    done();
  });
}
