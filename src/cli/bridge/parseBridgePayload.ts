import { parseTime } from '../../codec/parseTime.js';
import { checkValue, parseValue } from '../../codec/parseValue.js';
import type { PointValue } from '../../codec/Point.js';

/** The longest payload the bridge reads, characters; a longer one is a bad payload. */
export const MAX_BRIDGE_PAYLOAD_CHARS = 4096;

/** What {@link parseBridgePayload} makes of one MQTT payload. */
export type BridgePayload =
  /** A point; `time` (unix seconds) is undefined for a payload without one (stamped on arrival). */
  | { ok: true; time: number | undefined; value: PointValue }
  /** Not a point: why, in a few words. */
  | { ok: false; reason: string };

const bad = (reason: string): BridgePayload => ({ ok: false, reason });

/**
 * Reads one MQTT message payload as a point, in one of three forms:
 *
 * - a bare value: `21.5`, `-3`, `1e3`, `null`, `true`, `false` (no time: the bridge stamps it);
 * - JSON `{"value": 21.5, "time": 1764000000.25}`: `time` is unix seconds or ISO 8601 text and may be
 *   left out (then stamped), `timestamp` is read as a synonym; the value may be a number, a boolean,
 *   null or a number as text;
 * - a CSV line `1764000000.25,21.5` (or `2025-11-24T16:00:00Z, 21.5`), as `timetric push` reads.
 *
 * Surrounding white space and one trailing line end are ignored. Never throws: anything else, an
 * empty payload or one over {@link MAX_BRIDGE_PAYLOAD_CHARS}, is `{ ok: false, reason }`. Linear in
 * the payload's length.
 *
 * @example
 * ```ts
 * parseBridgePayload('{"value": 3, "time": "2025-01-01T00:00:00Z"}'); // { ok: true, time: 1735689600, value: 3 }
 * parseBridgePayload('42');                                          // { ok: true, time: undefined, value: 42 }
 * ```
 *
 * @param payload - The payload as UTF-8 text.
 * @returns The point, or why it is not one.
 */
export function parseBridgePayload(payload: string): BridgePayload {
  if (payload.length > MAX_BRIDGE_PAYLOAD_CHARS) return bad(`payload over ${MAX_BRIDGE_PAYLOAD_CHARS} characters`);
  const text = payload.trim();
  if (text === '') return bad('empty payload');
  try {
    if (text.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return bad('not valid JSON');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return bad('JSON is not an object');
      const o = parsed as Record<string, unknown>;
      if (!('value' in o)) return bad('JSON has no "value"');
      const rawTime = o.time ?? o.timestamp;
      if (rawTime !== undefined && rawTime !== null && typeof rawTime !== 'number' && typeof rawTime !== 'string') return bad('JSON "time" is neither a number nor text');
      const time = rawTime === undefined || rawTime === null ? undefined : parseTime(rawTime);
      return { ok: true, time, value: checkValue(o.value) };
    }
    const comma = text.indexOf(',');
    if (comma < 0) return { ok: true, time: undefined, value: parseValue(text) };
    if (text.indexOf(',', comma + 1) >= 0) return bad('expected time,value: more than 2 columns');
    return { ok: true, time: parseTime(text.slice(0, comma)), value: parseValue(text.slice(comma + 1)) };
  } catch (err) {
    return bad(err instanceof Error ? err.message : String(err));
  }
}
