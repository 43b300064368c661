import { Observable, defer, switchMap } from 'rxjs';
import { CsvPointDecoder } from '../codec/CsvPointDecoder.js';
import { parseTime } from '../codec/parseTime.js';
import { checkValue } from '../codec/parseValue.js';
import type { Point } from '../codec/Point.js';
import { ParseError } from '../errors/ParseError.js';
import type { WriteReceipt } from './batchWriter.js';
import { DEFAULT_WRITE_OPTIONS } from './batchWriter.js';
import { loadJournal } from './loadJournal.js';
import { sinkOptions, type SinkPoint, type WriteToOptions } from './writeTo.js';
import { postPoints, type WriteTarget } from './WriteTarget.js';

/** Points `writeFrom` holds in memory unless `maxBufferPoints` says otherwise: this many batches (`maxBatchPoints`). */
export const PULL_BUFFER_BATCHES = 2;

/**
 * What `writeFrom` pulls from: pairs, or CSV text in chunks of any size (strings or UTF-8 bytes,
 * such as a file read as a stream), as an async iterable (a Node `Readable` is one) or a web
 * `ReadableStream`.
 */
export type PullSource = AsyncIterable<SinkPoint | string | Uint8Array> | ReadableStream<SinkPoint | string | Uint8Array>;

async function* readStream<T>(stream: ReadableStream<T>): AsyncGenerator<T> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Turns a {@link PullSource} into batches of points, parsing CSV chunks and pairs as they come (linear, one chunk in memory). */
async function* pointsOf(source: PullSource): AsyncGenerator<readonly Point[]> {
  const items = typeof (source as ReadableStream).getReader === 'function' ? readStream(source as ReadableStream<SinkPoint | string | Uint8Array>) : (source as AsyncIterable<SinkPoint | string | Uint8Array>);
  let csv: CsvPointDecoder | undefined;
  const decoder = new TextDecoder();
  let pair = 0;
  for await (const item of items) {
    if (typeof item === 'string' || item instanceof Uint8Array) {
      csv ??= new CsvPointDecoder();
      const points = csv.push(typeof item === 'string' ? item : decoder.decode(item, { stream: true }));
      if (points.length) yield points;
      continue;
    }
    pair++;
    if (!Array.isArray(item) || item.length !== 2) throw new ParseError(`item ${pair}: expected a [time, value] pair, CSV text or bytes`, { text: String(item) });
    try {
      yield [[parseTime(item[0]), checkValue(item[1])]];
    } catch (err) {
      throw new ParseError(`item ${pair}: ${(err as Error).message}`, { text: String(item), cause: err });
    }
  }
  if (csv) {
    const tail = csv.push(decoder.decode());
    const rest = csv.end();
    if (tail.length || rest.length) yield [...tail, ...rest];
  }
}

/**
 * The pull form of {@link writeTo}: reads `source` — pairs, or CSV text or bytes such as a file's
 * contents — only while the sink has room (the memory budget `maxBufferPoints`, and with a
 * `journal` its `maxJournalBytes`), so a source of any size is written with bounded memory: the
 * way to backfill. Emits one {@link WriteReceipt} per acknowledged batch and completes once the
 * source is exhausted and every batch acknowledged. A bad line or pair errors the stream with a
 * `ParseError` naming it, after the points before it are written. Unsubscribing stops reading
 * (the source's iterator is returned, a stream cancelled). Cold: each subscription reads the
 * source once, so give it a fresh source each time.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { lastValueFrom } from 'rxjs';
 * import { writeFrom } from 'timetric';
 * await lastValueFrom(writeFrom(client.series(id), createReadStream('history.csv')));
 * ```
 *
 * @param series - Where to write (see {@link WriteTarget}).
 * @param source - See {@link PullSource}.
 * @param options - As for `writeTo`; with `journal` the points are journaled first.
 */
export function writeFrom(series: WriteTarget, source: PullSource, options: WriteToOptions = {}): Observable<WriteReceipt> {
  // The journal code (also the in-memory journal) is loaded on subscription; nothing is pulled before.
  return defer(loadJournal).pipe(
    switchMap(({ journaledPull, MemoryJournal, openJournalOf }) =>
      new Observable<WriteReceipt>((subscriber) => {
        const journal = options.journal === undefined ? undefined : openJournalOf(options.journal, options.openJournal);
        const maxBatchPoints = options.maxBatchPoints ?? DEFAULT_WRITE_OPTIONS.maxBatchPoints;
        // A pulled source waits instead of piling up: the batch in flight and the next one are
        // enough to keep the server busy, and every point held longer is promoted to V8's old
        // space, which is what made a backfill's RSS (198 MB at the push default of 100,000).
        const maxBufferPoints = options.maxBufferPoints ?? PULL_BUFFER_BATCHES * maxBatchPoints;
        const o = { ...sinkOptions(series, options), maxBufferPoints };
        // Without a journal the buffer is a journal in memory, as large as the memory budget.
        const inner = journal
          ? journaledPull((points) => postPoints(series, points), journal, pointsOf(source), o)
          : journaledPull((points) => postPoints(series, points), new MemoryJournal(), pointsOf(source), {
              maxRetries: DEFAULT_WRITE_OPTIONS.maxRetries,
              deadlineMs: DEFAULT_WRITE_OPTIONS.deadlineMs,
              ...o,
              maxJournalBytes: (maxBufferPoints + 2 * maxBatchPoints) * 17 + 4 * 64,
            });
        return inner.subscribe(subscriber);
      }),
    ),
  );
}
