const TWO31 = 2 ** 31;

/**
 * The chunk encoder's output: a growing byte buffer with LEB128 varints and MSB-first bit
 * fields. Bit fields leave up to 7 bits pending; {@link align} pads them to a byte, and every
 * byte-level write must come after an `align`.
 *
 * Hazard: `bits` does not grow the buffer (it is the hot path). A caller writing bits first
 * calls {@link ensure} for the whole stretch; a typed array drops writes past its end silently,
 * so {@link finish} checks that nothing was written past it.
 */
export class ByteWriter {
  bytes: Uint8Array;
  pos = 0;
  private acc = 0;
  private pending = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(Math.max(64, capacity));
  }

  /** Makes room for `extra` more bytes. */
  ensure(extra: number): void {
    const need = this.pos + extra + 1;
    if (need <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
  }

  byte(b: number): void {
    this.ensure(1);
    this.bytes[this.pos++] = b;
  }

  append(part: Uint8Array): void {
    this.ensure(part.length);
    this.bytes.set(part, this.pos);
    this.pos += part.length;
  }

  /** A non-negative integer below 2^53 as LEB128. */
  uvarint(x: number): void {
    this.ensure(8);
    const out = this.bytes;
    let pos = this.pos;
    while (x >= TWO31) {
      out[pos++] = (x % 128) | 128;
      x = Math.floor(x / 128);
    }
    while (x >= 128) {
      out[pos++] = (x & 127) | 128;
      x >>>= 7;
    }
    out[pos++] = x;
    this.pos = pos;
  }

  /** An integer of magnitude below 2^52, zigzag (0, -1, 1, -2 … → 0, 1, 2, 3 …) then LEB128. */
  svarint(x: number): void {
    this.uvarint(x >= 0 ? x * 2 : -x * 2 - 1);
  }

  /** The low `n` bits of `v` (0 ≤ n ≤ 32; `v` must have no higher bit set unless n = 32), MSB first. */
  bits(v: number, n: number): void {
    if (n > 24) {
      this.bits(v >>> 16, n - 16);
      v &= 0xffff;
      n = 16;
    }
    const acc = (this.acc << n) | v;
    let pending = this.pending + n;
    const out = this.bytes;
    while (pending >= 8) {
      pending -= 8;
      out[this.pos++] = acc >>> pending;
    }
    this.acc = acc & ((1 << pending) - 1);
    this.pending = pending;
  }

  /** Pads pending bits with zeros to a whole byte. */
  align(): void {
    if (this.pending === 0) return;
    this.bytes[this.pos++] = this.acc << (8 - this.pending);
    this.acc = 0;
    this.pending = 0;
  }

  /** The bytes written, as a new array of exactly that length. */
  finish(): Uint8Array {
    this.align();
    if (this.pos > this.bytes.length) throw new Error(`ByteWriter: ${this.pos - this.bytes.length} bytes written past the buffer (a missing ensure)`);
    return this.bytes.slice(0, this.pos);
  }
}

