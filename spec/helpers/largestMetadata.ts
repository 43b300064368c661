// The largest metadata /create/ accepts under DEFAULT_SERVER_OPTIONS, as urlencoded form fields:
// every capped field at its cap, filled with one repeated letter (the worst case for a substring
// search, whose cheap mismatches then never come).
import { DEFAULT_SERVER_OPTIONS } from '../../src/server/http/serverOptions.js';

export function largestMetadata(fill = 'a', o = DEFAULT_SERVER_OPTIONS): Record<string, string> {
  const fields: Record<string, string> = {
    title: fill.repeat(o.maxTitleChars),
    caption: fill.repeat(o.maxCaptionChars),
    description: fill.repeat(o.maxDescriptionChars),
    tags: Array.from({ length: o.maxTagsPerSeries }, (_, i) => fill.repeat(o.maxTagChars - 3) + String(i).padStart(3, '0')).join(','),
  };
  // Extra fields x0, x1, …: each at most maxExtraFieldChars, names and values maxExtraBytes together.
  let left = o.maxExtraBytes;
  for (let i = 0; left > 0; i++) {
    const name = `x${i}`;
    const size = Math.min(o.maxExtraFieldChars, left - name.length);
    if (size <= 0) break;
    fields[name] = fill.repeat(size);
    left -= name.length + size;
  }
  return fields;
}
