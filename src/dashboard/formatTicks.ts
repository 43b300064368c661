const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Labels of time-axis ticks `incr` seconds apart, in the page's local time and 24-hour clock:
 * `13:45:07.250` below a second, `13:45:07` below a minute, `13:45` below a day (with the date
 * under the first tick of a day), `12-02` below a month, then `2026-12` and `2026`.
 */
export function formatTicks(splits: readonly number[], incr: number): string[] {
  let lastDay = '';
  return splits.map((t) => {
    const d = new Date(t * 1000);
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
    if (incr >= 365 * 86_400) return String(d.getFullYear());
    if (incr >= 28 * 86_400) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;
    if (incr >= 86_400) return day;
    const first = day !== lastDay;
    lastDay = day;
    const clock = incr >= 60 ? hm : incr >= 1 ? `${hm}:${pad(d.getSeconds())}` : `${hm}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
    return first ? `${clock}\n${day}` : clock;
  });
}
