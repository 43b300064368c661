const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A timestamp (unix seconds) as the hover readout shows it, in the page's local time:
 * `2026-12-02 13:45:07`, with as many sub-second digits as the timestamp has (up to 6:
 * `13:45:07.25`, `13:45:07.000125`), none for whole seconds.
 */
export function formatReadoutTime(t: number): string {
  const whole = Math.floor(t);
  const d = new Date(whole * 1000);
  let text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const micros = Math.round((t - whole) * 1e6);
  if (micros > 0 && micros < 1e6) text += `.${pad(micros, 6).replace(/0+$/, '')}`;
  return text;
}
