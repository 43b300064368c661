import { bodyIdleProblem } from './bodyIdleProblem.js';

/**
 * Passes a streamed request body (or the parts of a multipart body) through, failing with a 408
 * {@link HttpProblem} when the consumer has waited `ms` for the next chunk. Only time spent
 * waiting on the client counts: while the consumer is busy (staging points) no timer runs, so
 * backpressure is never mistaken for a silent client.
 *
 * On a timeout the source is left as it is (not destroyed), so the 408 can still be written to the
 * connection; its `Connection: close` then closes it, and the read left pending there settles
 * unobserved. Any other early exit returns the source, as a plain `for await` would.
 *
 * @example
 * ```ts
 * await ingestCsv(limitBodyIdle(request.body as AsyncIterable<Buffer>, 30_000), writer, maxBytes);
 * ```
 * @param source - The body or the parts.
 * @param ms - Longest wait for the next chunk, ms.
 * @returns The same chunks.
 */
export async function* limitBodyIdle<T>(source: AsyncIterable<T>, ms: number): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  // One sentinel per body: building the 408 (and its stack) for every chunk would cost more than the chunk.
  const silent = new Error('silent');
  let timedOut = false;
  try {
    for (;;) {
      const next = iterator.next();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const silence = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(silent), ms);
        timer.unref();
      });
      let result: IteratorResult<T>;
      try {
        result = await Promise.race([next, silence]);
      } catch (err) {
        if (err !== silent) throw err;
        timedOut = true;
        // The pending read settles when the connection closes; nothing waits for it any more.
        next.catch(() => undefined);
        throw bodyIdleProblem(ms);
      } finally {
        clearTimeout(timer);
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    if (!timedOut) await iterator.return?.()?.catch(() => undefined);
  }
}
