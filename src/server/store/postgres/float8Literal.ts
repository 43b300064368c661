/** A float8 SQL literal of a number, for COPY, which takes no parameters (never caller text). */
export function float8Literal(n: number): string {
  if (typeof n !== 'number') throw new TypeError(`not a number: ${String(n)}`);
  return `'${Object.is(n, -0) ? '-0' : String(n)}'::float8`;
}
