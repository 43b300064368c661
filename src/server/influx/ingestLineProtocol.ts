import { ParseError } from '../../errors/ParseError.js';
import type { Principal } from '../auth/Authenticator.js';
import { HttpProblem } from '../http/HttpProblem.js';
import type { ServerContext } from '../http/ServerContext.js';
import { SeriesCapError } from '../store/SeriesCapError.js';
import { InfluxBatch } from './InfluxBatch.js';
import type { InfluxPrecision } from './influxTime.js';
import { keyedWriteFor } from './keyedWriteFor.js';
import { LineProtocolParser } from './LineProtocolParser.js';

/** What an InfluxDB write names besides its body. */
export interface LineProtocolTarget {
  /** The database (1.x `db`) or bucket (2.x `bucket`). */
  database: string;
  precision: InfluxPrecision;
}

/**
 * Parses a line-protocol body as it arrives (each chunk parsed before the next is read, so no
 * request holds the event loop longer than one chunk) into a batch grouped by series, then hands
 * the whole batch to the store as ONE transaction ({@link SeriesStore.writeKeyed}): every line or
 * none. A malformed line is a 400 naming its number and text; a batch naming more new series than
 * the writer may still create is a 422 naming the cap. Lines without a timestamp take the server's
 * time of the request.
 *
 * @param ctx - The server context (store, options, clock).
 * @param principal - The writer (owner of the series created).
 * @param body - The decoded body (see decodedBody).
 * @param target - Database and precision.
 * @returns Points and series written, series created.
 */
export async function ingestLineProtocol(
  ctx: ServerContext,
  principal: Principal,
  body: AsyncIterable<Buffer>,
  target: LineProtocolTarget,
): Promise<{ points: number; series: number; created: number }> {
  const o = ctx.options;
  const store = ctx.store;
  if (!store.writeKeyed) throw new HttpProblem(501, 'this store does not support InfluxDB writes');
  const cap = o.maxInfluxSeriesPerUser;
  const batch = new InfluxBatch(target.database, o.clock(), cap);
  const parser = new LineProtocolParser(
    target.precision,
    {
      maxLineChars: o.maxInfluxLineChars,
      maxFieldsPerLine: o.maxInfluxFieldsPerLine,
      maxTagsPerLine: o.maxTagsPerSeries,
      maxKeyChars: o.maxInfluxKeyChars,
      maxTagPairChars: o.maxTagChars,
    },
    batch.add,
  );
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of body) {
      parser.push(text.decode(chunk, { stream: true }));
    }
    parser.push(text.decode());
    parser.end();
  } catch (err) {
    if (err instanceof ParseError) throw new HttpProblem(400, `${err.message}; nothing was applied`);
    if (err instanceof TypeError && /encoded data|decode/i.test(err.message)) {
      throw new HttpProblem(400, `the body is not valid UTF-8 (after line ${parser.lines}); nothing was applied`);
    }
    throw err;
  }
  if (batch.points === 0) return { points: 0, series: 0, created: 0 };
  const writes = [];
  for (const series of batch.series()) writes.push(keyedWriteFor(series, principal.userId, o.maxTitleChars));
  try {
    const { created, points } = await store.writeKeyed(principal.userId, writes, cap);
    return { points, series: writes.length, created };
  } catch (err) {
    if (err instanceof SeriesCapError) throw new HttpProblem(422, err.message);
    throw err;
  }
}
