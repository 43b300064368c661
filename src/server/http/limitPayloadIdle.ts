import { PassThrough, type Readable } from 'node:stream';
import { bodyIdleProblem } from './bodyIdleProblem.js';

/**
 * For a `preParsing` hook: the request payload passed through a stream that fails with a 408
 * {@link bodyIdleProblem} when no byte arrived for `ms`. Meant for bodies Fastify's own parsers
 * read whole (urlencoded forms, JSON): they read as fast as bytes come, so any gap is the
 * client's. Streamed bodies (CSV, multipart) are timed where they are consumed (limitBodyIdle),
 * which tells a silent client from a busy consumer.
 *
 * The source is never destroyed here (that would close the connection before the 408 could be
 * written); the 408's `Connection: close` closes it instead.
 *
 * @example
 * ```ts
 * app.addHook('preParsing', async (_request, _reply, payload) => limitPayloadIdle(payload, 30_000));
 * ```
 * @param payload - The raw request payload.
 * @param ms - Longest silence, ms.
 * @returns The stream Fastify should read instead.
 */
export function limitPayloadIdle(payload: Readable, ms: number): Readable {
  const out = new PassThrough();
  const timer = setTimeout(() => {
    payload.removeListener('data', onData);
    out.destroy(bodyIdleProblem(ms));
  }, ms);
  timer.unref();
  const stop = (): void => clearTimeout(timer);
  function onData(chunk: Buffer): void {
    timer.refresh();
    if (!out.write(chunk)) payload.pause();
  }
  out.on('drain', () => payload.resume());
  out.on('close', stop);
  payload.on('data', onData);
  payload.once('end', () => {
    stop();
    out.end();
  });
  payload.once('error', (err) => {
    stop();
    out.destroy(err);
  });
  // A connection dropped mid-body ends neither with 'end' nor (always) with 'error'.
  payload.once('close', () => {
    stop();
    if (!out.writableEnded) out.destroy(new Error('request body cut off (aborted)'));
  });
  return out;
}
