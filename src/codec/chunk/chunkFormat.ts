/**
 * Constants of the chunk format (version 1). The layout, every section byte-aligned:
 *
 * ```text
 * chunk   = version:u8  count:uvarint  times  kinds  [numbers]      (numbers only if any value is one)
 * times   = 0x00 xor(count doubles)                                   doubles, Gorilla XOR
 *         | 0x30 count × 8 bytes                                      doubles, little-endian
 *         | (0x10|k) I0:svarint ints(count-1 deltas)                  t·10^k integers, k ≤ 9
 *         | (0x20|k) I0:svarint D1:uvarint ints(count-2 delta-of-deltas)
 * kinds   = 0x00                                                      every value a number
 *         | 0x01 { ((run-1)·4 + kind):uvarint }                       runs of kinds
 *         | 0x02 2-bit kinds, MSB first, padded to a byte
 * numbers = 0x00 xor(n doubles)                                       Gorilla XOR
 *         | 0x30 n × 8 bytes                                          doubles, little-endian
 *         | (0x10|k) I0:svarint ints(n-1 deltas) z:uvarint {skip:uvarint (length-1):uvarint}
 *                                  v·10^k integers, k ≤ 15, then z runs of -0 values (each after
 *                                  `skip` values from the previous run's end)
 * ints    = { group }: (2(L-1)+1):uvarint v:svarint                   L copies of v
 *                    | (2(64(L-1)+w)):uvarint min:svarint bits        L ≤ 128 values min + w-bit
 *                                                                     unsigned, MSB first, padded
 * xor     = first double as 64 bits, then per value:  '0' runLength(Exp-Golomb)  repeats
 *           '10' bits of the previous window | '11' lead:5 (length-1):6 bits   (Gorilla)
 * ```
 *
 * Varints are LEB128 (7 bits a byte, low first); svarint is zigzag. Kinds: 0 number, 1 null,
 * 2 false, 3 true.
 */
export const CHUNK_FORMAT = {
  version: 1,
  /** High nibble of the times / numbers header byte. */
  xor: 0,
  delta: 1,
  deltaOfDelta: 2,
  raw: 3,
  /** Kinds header byte. */
  allNumbers: 0,
  kindRuns: 1,
  kindBits: 2,
  kindNumber: 0,
  kindNull: 1,
  kindFalse: 2,
  kindTrue: 3,
  /** Largest decimal scale of times (the 0..9) and of numbers. */
  maxTimeScale: 9,
  maxValueScale: 15,
  /** Values of a packed group, and the widest group (bits). */
  block: 128,
  maxWidth: 52,
  /** Equal values from which on a run of its own is cheaper than packing them. */
  runMin: 8,
} as const;
