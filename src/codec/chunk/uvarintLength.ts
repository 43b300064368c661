/** Bytes of the LEB128 varint of `x` (a non-negative integer below 2^53). */
export function uvarintLength(x: number): number {
  let n = 1;
  while (x >= 128) {
    x = Math.floor(x / 128);
    n++;
  }
  return n;
}
