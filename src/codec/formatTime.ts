/** Unix seconds as the wire writes them: shortest decimal that reads back to the same number. */
export function formatUnixTime(seconds: number): string {
  return String(seconds);
}

/**
 * Unix seconds as ISO 8601 UTC, e.g. `2009-03-07T22:07:26.39Z`; the fraction keeps up to
 * microseconds and is left out when zero.
 */
export function formatIsoTime(seconds: number): string {
  const whole = Math.floor(seconds);
  const micros = Math.round((seconds - whole) * 1e6);
  const carry = micros === 1e6 ? 1 : 0;
  const base = new Date((whole + carry) * 1000).toISOString().slice(0, 19);
  if (carry || micros === 0) return `${base}Z`;
  return `${base}.${String(micros).padStart(6, '0').replace(/0+$/, '')}Z`;
}
