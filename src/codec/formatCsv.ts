import type { Point } from './Point.js';
import { formatIsoTime, formatUnixTime } from './formatTime.js';
import { formatValue } from './formatValue.js';

/** How CSV output writes timestamps. */
export type CsvTimeFormat = 'unix' | 'iso';

/**
 * Points as Timetric CSV: no header, `timestamp,value` a line, `\n` after every line (so chunks
 * concatenate). Empty input gives `''`.
 */
export function formatCsv(points: Iterable<Point>, format: CsvTimeFormat = 'unix'): string {
  const time = format === 'iso' ? formatIsoTime : formatUnixTime;
  let out = '';
  for (const [t, v] of points) out += `${time(t)},${formatValue(v)}\n`;
  return out;
}
