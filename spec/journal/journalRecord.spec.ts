// The journal record codec: round trips of every record kind and value literal, the CRC (the
// same as zlib's), and a log cut or damaged anywhere read up to its last whole record.
import assert from 'node:assert/strict';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, it } from 'node:test';
import { crc32, decodeJournalRecords, encodeJournalRecord, readJournalFrames, type JournalRecord } from '../../src/codec/journalRecord.js';

const records: JournalRecord[] = [
  { kind: 'points', seq: 1, points: [[1764000000.25, 1.5], [1764000000.5, -2]] },
  { kind: 'points', seq: 2, points: [[1, null], [2, true], [3, false], [4, 0.1]] },
  { kind: 'increment', seq: 3, key: 'k-é-1', amount: -2.5, increments: 7, createdAt: 1764000000123 },
  { kind: 'ack', seq: 1 },
  { kind: 'points', seq: 4, points: [] },
];
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

describe('journal record codec', () => {
  it('computes the CRC-32 zlib computes', () => {
    const bytes = new Uint8Array(1027).map((_, i) => (i * 31 + 7) & 0xff);
    for (const [from, to] of [[0, 0], [0, 1], [3, 1027], [0, 1027], [5, 9]] as const) {
      assert.equal(crc32(bytes, from, to), zlibCrc32(bytes.subarray(from, to)) >>> 0);
    }
  });

  it('round-trips every kind, literals included', () => {
    const log = concat(records.map(encodeJournalRecord));
    const { records: back, validBytes } = decodeJournalRecords(log);
    assert.deepEqual(back, records);
    assert.equal(validBytes, log.length);
  });

  it('reads a log cut at any byte up to its last whole record', () => {
    const frames = records.map(encodeJournalRecord);
    const log = concat(frames);
    const ends = frames.map((_, i) => frames.slice(0, i + 1).reduce((n, f) => n + f.length, 0));
    for (let cut = 0; cut <= log.length; cut++) {
      const whole = ends.filter((e) => e <= cut).length;
      const { records: back, validBytes } = decodeJournalRecords(log.subarray(0, cut));
      assert.equal(back.length, whole, `cut at ${cut}`);
      assert.equal(validBytes, whole ? ends[whole - 1] : 0);
    }
  });

  it('stops at a damaged record (a flipped bit fails its CRC), keeping the ones before', () => {
    const frames = records.map(encodeJournalRecord);
    const log = concat(frames);
    const second = frames[0]!.length;
    log[second + 20]! ^= 0x10;
    const { frames: listed, validBytes } = readJournalFrames(log);
    assert.equal(listed.length, 1);
    assert.equal(validBytes, second);
  });

  it('treats an impossible length as the end', () => {
    const log = concat([encodeJournalRecord(records[0]!), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 1, 2, 3])]);
    assert.equal(readJournalFrames(log).frames.length, 1);
  });
});
