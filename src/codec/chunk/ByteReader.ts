import { corruptChunk as corrupt } from './corruptChunk.js';

/** Bytes of zeros after a copy's end, so bit reads near the end may look a little ahead. */
const PADDING = 16;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The chunk decoder's input: a padded copy of the chunk read as bytes, LEB128 varints and
 * MSB-first bit fields, every read bounds-checked against the chunk's true end (a read past it
 * is a {@link ChunkCodecError} naming `what` was being read).
 *
 * Bit reads: {@link beginBits} at a byte boundary, then {@link bits} / {@link bit}, whose callers
 * check {@link bitsLeft} at least once per value (the padding covers up to 96 bits read ahead),
 * then {@link endBits}, which moves on to the next whole byte.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Length of the chunk (the copy is longer). */
  readonly end: number;
  pos = 0;
  bitPos = 0;

  constructor(input: Uint8Array) {
    this.end = input.length;
    this.bytes = new Uint8Array(input.length + PADDING);
    this.bytes.set(input);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Fails unless `n` more bytes exist. */
  need(n: number, what: string): void {
    if (n > this.end - this.pos) throw corrupt(`truncated ${what} at byte ${this.pos}`);
  }

  byte(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  uvarint(what: string): number {
    let x = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte(what);
      x += (b & 127) * scale;
      if (b < 128) {
        if (x > MAX_SAFE) throw corrupt(`${what} at byte ${this.pos - i - 1} is too large`);
        return x;
      }
      scale *= 128;
    }
    throw corrupt(`${what} at byte ${this.pos - 8} is longer than 8 bytes`);
  }

  svarint(what: string): number {
    const z = this.uvarint(what);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  beginBits(): void {
    this.bitPos = this.pos * 8;
  }

  /** Bits not read yet before the chunk's end (negative once a read went past it). */
  bitsLeft(): number {
    return this.end * 8 - this.bitPos;
  }

  /** The next `n` bits (1 ≤ n ≤ 32), MSB first, as an unsigned integer. */
  bits(n: number): number {
    const at = this.bitPos;
    const byte = at >>> 3;
    const shift = at & 7;
    const word = this.view.getUint32(byte) << shift;
    this.bitPos = at + n;
    if (shift + n <= 32) return word >>> (32 - n);
    return (word | (this.bytes[byte + 4]! >>> (8 - shift))) >>> (32 - n);
  }

  bit(): number {
    const at = this.bitPos++;
    return (this.bytes[at >>> 3]! >>> (7 - (at & 7))) & 1;
  }

  /** The next 32 bits, not consumed. */
  peek32(): number {
    const at = this.bitPos;
    const shift = at & 7;
    const word = this.view.getUint32(at >>> 3) << shift;
    return shift === 0 ? word >>> 0 : (word | (this.bytes[(at >>> 3) + 4]! >>> (8 - shift))) >>> 0;
  }

  endBits(what: string): void {
    if (this.bitsLeft() < 0) throw corrupt(`truncated ${what}`);
    this.pos = Math.ceil(this.bitPos / 8);
  }
}
