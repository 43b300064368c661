import { createReadStream, statSync } from 'node:fs';
import { lastValueFrom } from 'rxjs';
import { CsvPointDecoder, nextTimeAfter, type Point, type Series } from '../index.js';
import type { CliIo } from './Command.js';
import { CommandFailure } from './CommandFailure.js';

/** Points per request of {@link streamPoints}: one update() each, sent one after another. */
export const PUSH_BATCH_POINTS = 50_000;

/**
 * How long {@link streamPoints} waits for more input before it sends the points it holds, ms: a
 * sensor piped into `push` is written as it reads, not when the pipe closes.
 */
export const PUSH_IDLE_FLUSH_MS = 200;

/** The size of a regular file to read, or a {@link CommandFailure} naming it ("no such file", "a directory"). */
function fileSize(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message.split('\n')[0];
    throw new CommandFailure(`cannot read "${path}": ${why}`);
  }
  if (stats.isDirectory()) throw new CommandFailure(`cannot read "${path}": it is a directory`);
  return stats.size;
}

/**
 * Streams CSV (`time,value` lines, or bare values, each stamped with the time it is read) from a file or stdin (`-`) into a series, in
 * batches of {@link PUSH_BATCH_POINTS} points, reading the next chunk only once the batch before
 * is written: memory stays bounded whatever the input size. Points are also sent once the input
 * has been quiet for {@link PUSH_IDLE_FLUSH_MS}, so a slow source (a sensor on a pipe) is written as
 * it goes. Draws a progress bar on stderr
 * (points/s, and percent + ETA when the file size is known) only when stderr is a TTY.
 *
 * @returns The number of points written.
 */
export async function streamPoints(series: Series, source: string, io: CliIo): Promise<number> {
  const total = source === '-' ? undefined : fileSize(source);
  const input = source === '-' ? io.stdin : createReadStream(source);
  const tty = process.stderr.isTTY === true;
  // A line holding only a value is stamped when it is read; times only rise (two readings in one
  // millisecond get the next double up), so no reading replaces the one before it.
  let lastStamp = -Infinity;
  const decoder = new CsvPointDecoder({
    bareValueTime: () => {
      const now = Date.now() / 1000;
      lastStamp = now > lastStamp ? now : nextTimeAfter(lastStamp);
      return lastStamp;
    },
  });
  const started = Date.now();
  let batch: Point[] = [];
  let written = 0;
  let bytes = 0;
  let lastDraw = 0;
  const draw = (final = false): void => {
    if (!tty) return;
    const now = Date.now();
    if (!final && now - lastDraw < 200) return;
    lastDraw = now;
    const secs = Math.max((now - started) / 1000, 0.001);
    const rate = Math.round(written / secs);
    let line = `${written.toLocaleString('en')} points  ${rate.toLocaleString('en')} points/s`;
    if (total) {
      const frac = Math.min(bytes / total, 1);
      const width = 30;
      const eta = frac > 0 ? Math.round((secs / frac) * (1 - frac)) : 0;
      line = `[${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}] ${(frac * 100).toFixed(0).padStart(3)}%  ${line}  ETA ${eta}s`;
    }
    process.stderr.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
  };
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const points = batch;
    batch = [];
    await lastValueFrom(series.update(points));
    written += points.length;
    draw();
  };
  const textDecoder = new TextDecoder();
  const chunks = (input as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const read = (): Promise<IteratorResult<unknown>> => {
    const promise = chunks.next();
    promise.catch(() => undefined); // a read left pending when a bad line ends the push
    return promise;
  };
  let next = read();
  for (;;) {
    let step: IteratorResult<unknown> | 'idle';
    if (batch.length === 0) step = await next;
    else {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<'idle'>((resolve) => (timer = setTimeout(() => resolve('idle'), PUSH_IDLE_FLUSH_MS)));
      step = await Promise.race([next, idle]);
      clearTimeout(timer);
    }
    if (step === 'idle') {
      await flush();
      continue;
    }
    if (step.done) break;
    next = read();
    const chunk = step.value;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    bytes += buf.length;
    for (const p of decoder.push(textDecoder.decode(buf, { stream: true }))) batch.push(p);
    if (batch.length >= PUSH_BATCH_POINTS) await flush();
  }
  for (const p of decoder.push(textDecoder.decode())) batch.push(p);
  for (const p of decoder.end()) batch.push(p);
  await flush();
  draw(true);
  return written;
}
