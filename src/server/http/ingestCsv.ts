import { CsvPointDecoder } from '../../codec/CsvPointDecoder.js';
import { ParseError } from '../../errors/ParseError.js';
import type { PointWriter } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';

/**
 * Streams a CSV body into a staged write: decodes as bytes arrive (papaparse via CsvPointDecoder),
 * stages each chunk's points, counts bytes against `maxCsvBytes`. Does not commit; on any failure
 * (bad line → 400 naming it, too large → 413, body cut off → the stream's error) it throws and the
 * caller aborts the writer, so nothing is applied. A line over `maxCsvLineBytes` (64 KiB by default)
 * is a bad line as soon as that many bytes of it have arrived, so a body without newlines costs
 * 64 KiB of memory and a linear read, not the whole body.
 */
export async function ingestCsv(
  body: AsyncIterable<Buffer | string>,
  writer: PointWriter,
  limits: { maxCsvBytes: number; maxCsvLineBytes: number },
): Promise<number> {
  const maxBytes = limits.maxCsvBytes;
  const decoder = new CsvPointDecoder({ maxLineBytes: limits.maxCsvLineBytes });
  const text = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  let points = 0;
  try {
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw new HttpProblem(413, `CSV body over the limit of ${maxBytes} bytes`);
      const batch = decoder.push(typeof chunk === 'string' ? chunk : text.decode(chunk, { stream: true }));
      if (batch.length) {
        points += batch.length;
        await writer.stage(batch);
      }
    }
    const rest = decoder.push(text.decode()).concat(decoder.end());
    if (rest.length) {
      points += rest.length;
      await writer.stage(rest);
    }
  } catch (err) {
    if (err instanceof ParseError) throw new HttpProblem(400, `${err.message}; nothing was applied`);
    if (err instanceof TypeError && /encoded data|decode/i.test(err.message)) {
      throw new HttpProblem(400, `CSV body is not valid UTF-8 (after line ${decoder.lines}); nothing was applied`);
    }
    throw err;
  }
  return points;
}
