import { isPointValue } from '../codec/isPointValue.js';
import type { Point } from '../codec/Point.js';
import { ParseError } from '../errors/ParseError.js';

/**
 * The point of a latest-value answer, `{"timestamp": …, "value": …}` as `value/json/` and the
 * `value/events/` stream send it: `null` for an empty series.
 *
 * @throws ParseError when the answer has another shape.
 */
export function latestPoint(body: unknown): Point | null {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { timestamp?: unknown; value?: unknown };
  if (b.timestamp === null) return null;
  if (typeof b.timestamp !== 'number' || !isPointValue(b.value)) {
    const text = JSON.stringify(body) ?? String(body);
    throw new ParseError(`unexpected latest-value answer ${text.slice(0, 200)}`, { text });
  }
  return [b.timestamp, b.value] as const;
}
