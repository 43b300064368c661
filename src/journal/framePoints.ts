/**
 * How many points the points frame at `offset` of `bytes` holds, read from its header without
 * decoding them (the frame layout of `encodeJournalRecord`: u32 length, u32 CRC-32, then kind u8,
 * seq f64, count u32). Only for a frame `readJournalFrames` listed as intact.
 */
export function framePoints(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset + offset + 17, 4).getUint32(0, true);
}
