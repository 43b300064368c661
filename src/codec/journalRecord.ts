import type { Point, PointValue } from './Point.js';

/** A batch of points appended to a journal, numbered in append order. */
export interface JournalPoints {
  kind: 'points';
  /** Sequence number, unique and increasing within one journal. */
  seq: number;
  points: readonly Point[];
}

/** An increment window appended to a journal: its amount and the `Idempotency-Key` it is sent with. */
export interface JournalIncrement {
  kind: 'increment';
  seq: number;
  /** The `Idempotency-Key` of this window: sent again unchanged after a restart. */
  key: string;
  /** The summed amount. */
  amount: number;
  /** How many source increments it sums. */
  increments: number;
  /** When the window was closed, ms since the epoch: past the server's key window it is not re-sent. */
  createdAt: number;
}

/** Says that the record `seq` is done (acknowledged by the server, or dropped by the overflow policy). */
export interface JournalAck {
  kind: 'ack';
  seq: number;
}

/** One record of a journal. */
export type JournalRecord = JournalPoints | JournalIncrement | JournalAck;

/** Longest payload a record may have, bytes; a longer length field is read as damage. */
export const MAX_JOURNAL_RECORD_BYTES = 256 * 1024 * 1024;

const FRAME = 8; // u32 payload length, u32 CRC-32 of the payload
const KIND_POINTS = 1;
const KIND_INCREMENT = 2;
const KIND_ACK = 3;

const CRC_TABLE = (() => {
  const t = new Int32Array(256 * 4);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  // Slicing by 4: four table lookups per 4 bytes.
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let s = 1; s < 4; s++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[s * 256 + n] = c;
    }
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib computes it) of `bytes[from, to)`. */
export function crc32(bytes: Uint8Array, from = 0, to = bytes.length): number {
  const t = CRC_TABLE;
  let c = -1;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    c ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    c = t[768 + (c & 0xff)]! ^ t[512 + ((c >>> 8) & 0xff)]! ^ t[256 + ((c >>> 16) & 0xff)]! ^ t[c >>> 24]!;
  }
  for (; i < to; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

function payloadBytes(record: JournalRecord): number {
  switch (record.kind) {
    case 'points': {
      const n = record.points.length;
      let numbers = true;
      for (let i = 0; i < n && numbers; i++) numbers = typeof record.points[i]![1] === 'number';
      return 1 + 8 + 4 + 1 + n * 16 + (numbers ? 0 : n);
    }
    case 'increment':
      return 1 + 8 + 8 + 4 + 8 + 2 + textEncoder.encode(record.key).length;
    case 'ack':
      return 1 + 8;
  }
}

/**
 * Encodes one record as a frame: payload length (u32), CRC-32 of the payload (u32), payload, all
 * little-endian. An increment payload is its kind, seq, amount (f64), increments (u32), createdAt (f64),
 * the key's length (u16) and the key (UTF-8). A points payload is its kind, seq (f64), count (u32), a flag (1 = every value is a
 * number), the times and the values as f64, then one kind byte a point when some value is a literal
 * (0 number, 1 null, 2 true, 3 false). The frame is what a journal appends.
 */
export function encodeJournalRecord(record: JournalRecord): Uint8Array {
  const size = payloadBytes(record);
  const bytes = new Uint8Array(FRAME + size);
  const view = new DataView(bytes.buffer);
  let at = FRAME;
  if (record.kind === 'points') {
    const pts = record.points;
    const n = pts.length;
    const numbers = size === 1 + 8 + 4 + 1 + n * 16;
    view.setUint8(at, KIND_POINTS);
    view.setFloat64(at + 1, record.seq, true);
    view.setUint32(at + 9, n, true);
    view.setUint8(at + 13, numbers ? 1 : 0);
    at += 14;
    for (let i = 0; i < n; i++, at += 8) view.setFloat64(at, pts[i]![0], true);
    for (let i = 0; i < n; i++, at += 8) {
      const v = pts[i]![1];
      view.setFloat64(at, typeof v === 'number' ? v : 0, true);
    }
    if (!numbers) for (let i = 0; i < n; i++) {
      const v = pts[i]![1];
      bytes[at++] = typeof v === 'number' ? 0 : v === null ? 1 : v ? 2 : 3;
    }
  } else if (record.kind === 'increment') {
    const key = textEncoder.encode(record.key);
    view.setUint8(at, KIND_INCREMENT);
    view.setFloat64(at + 1, record.seq, true);
    view.setFloat64(at + 9, record.amount, true);
    view.setUint32(at + 17, record.increments, true);
    view.setFloat64(at + 21, record.createdAt, true);
    view.setUint16(at + 29, key.length, true);
    bytes.set(key, at + 31);
  } else {
    view.setUint8(at, KIND_ACK);
    view.setFloat64(at + 1, record.seq, true);
  }
  view.setUint32(0, size, true);
  view.setUint32(4, crc32(bytes, FRAME, FRAME + size), true);
  return bytes;
}

const LITERALS: readonly PointValue[] = [0, null, true, false];

function decodePayload(view: DataView, at: number, size: number): JournalRecord | undefined {
  const kind = view.getUint8(at);
  const seq = view.getFloat64(at + 1, true);
  if (kind === KIND_ACK && size === 9) return { kind: 'ack', seq };
  if (kind === KIND_INCREMENT && size >= 31) {
    const length = view.getUint16(at + 29, true);
    if (size !== 31 + length) return undefined;
    const key = textDecoder.decode(new Uint8Array(view.buffer, view.byteOffset + at + 31, length));
    return { kind: 'increment', seq, amount: view.getFloat64(at + 9, true), increments: view.getUint32(at + 17, true), createdAt: view.getFloat64(at + 21, true), key };
  }
  if (kind !== KIND_POINTS || size < 14) return undefined;
  const n = view.getUint32(at + 9, true);
  const numbers = view.getUint8(at + 13) === 1;
  if (size !== 14 + n * 16 + (numbers ? 0 : n)) return undefined;
  const points = new Array<Point>(n);
  const t0 = at + 14;
  const v0 = t0 + n * 8;
  const k0 = v0 + n * 8;
  for (let i = 0; i < n; i++) {
    const literal = numbers ? 0 : view.getUint8(k0 + i);
    points[i] = [view.getFloat64(t0 + i * 8, true), literal === 0 ? view.getFloat64(v0 + i * 8, true) : LITERALS[literal] ?? null];
  }
  return { kind: 'points', seq, points };
}

/** Where one intact frame lies in a segment, read without decoding its points. */
export interface JournalFrame {
  /** Byte offset of the frame (its length field). */
  offset: number;
  /** Bytes of the whole frame, header included. */
  bytes: number;
  kind: JournalRecord['kind'];
  seq: number;
}

/** What {@link readJournalFrames} found. */
export interface JournalFrames {
  frames: JournalFrame[];
  /** Bytes of whole, intact records from the start; anything after is a torn or damaged tail. */
  validBytes: number;
}

const KINDS: Record<number, JournalRecord['kind']> = { [KIND_POINTS]: 'points', [KIND_INCREMENT]: 'increment', [KIND_ACK]: 'ack' };

/**
 * Lists the frames of a journal segment, in order, up to the first frame that is cut short, has
 * an impossible length or fails its CRC (a crash mid-append): that frame and everything after it
 * are left out, and `validBytes` says where the good part ends, so a writer can cut the tail off.
 * Checks every CRC but decodes no points (see {@link decodeJournalFrame}). Linear in the bytes.
 */
export function readJournalFrames(bytes: Uint8Array): JournalFrames {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: JournalFrame[] = [];
  let at = 0;
  while (at + FRAME + 9 <= bytes.length) {
    const size = view.getUint32(at, true);
    if (size < 9 || size > MAX_JOURNAL_RECORD_BYTES || at + FRAME + size > bytes.length) break;
    if (crc32(bytes, at + FRAME, at + FRAME + size) !== view.getUint32(at + 4, true)) break;
    const kind = KINDS[view.getUint8(at + FRAME)];
    if (!kind) break;
    frames.push({ offset: at, bytes: FRAME + size, kind, seq: view.getFloat64(at + FRAME + 1, true) });
    at += FRAME + size;
  }
  return { frames, validBytes: at };
}

/**
 * Decodes the frame at `offset` of `bytes` (one that {@link readJournalFrames} listed, or a frame
 * read back on its own at offset 0). Throws a `RangeError` when the bytes there are not an intact
 * record.
 */
export function decodeJournalFrame(bytes: Uint8Array, offset = 0): JournalRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = offset + FRAME <= bytes.length ? view.getUint32(offset, true) : 0;
  const ok = size > 0 && offset + FRAME + size <= bytes.length && crc32(bytes, offset + FRAME, offset + FRAME + size) === view.getUint32(offset + 4, true);
  const record = ok ? decodePayload(view, offset + FRAME, size) : undefined;
  if (!record) throw new RangeError(`no intact journal record at byte ${offset}`);
  return record;
}

/** What {@link decodeJournalRecords} read. */
export interface DecodedJournal {
  records: JournalRecord[];
  /** Bytes of whole, intact records from the start; anything after is a torn or damaged tail. */
  validBytes: number;
}

/**
 * Reads the records of a journal segment, in order, up to the first frame that is cut short, has
 * an impossible length or fails its CRC (a crash mid-append): that frame and everything after it
 * are left out, and `validBytes` says where the good part ends, so a writer can cut the tail off.
 * Linear in the bytes.
 */
export function decodeJournalRecords(bytes: Uint8Array): DecodedJournal {
  const { frames, validBytes } = readJournalFrames(bytes);
  const records: JournalRecord[] = [];
  for (const f of frames) {
    try {
      records.push(decodeJournalFrame(bytes, f.offset));
    } catch {
      return { records, validBytes: f.offset };
    }
  }
  return { records, validBytes };
}
