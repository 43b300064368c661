// The bridge's payload forms: bare values, JSON {value, time}, time,value lines; everything else
// is a reason, never an exception.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_BRIDGE_PAYLOAD_CHARS, parseBridgePayload } from '../../src/cli/bridge/parseBridgePayload.js';

const ok = (time: number | undefined, value: number | boolean | null) => ({ ok: true, time, value });

describe('parseBridgePayload', () => {
  it('reads bare values, to be stamped', () => {
    assert.deepEqual(parseBridgePayload('42'), ok(undefined, 42));
    assert.deepEqual(parseBridgePayload(' -1.5e3\n'), ok(undefined, -1500));
    assert.deepEqual(parseBridgePayload('NULL'), ok(undefined, null));
    assert.deepEqual(parseBridgePayload('true'), ok(undefined, true));
    assert.deepEqual(parseBridgePayload('false\r\n'), ok(undefined, false));
  });

  it('reads JSON with and without a time', () => {
    assert.deepEqual(parseBridgePayload('{"value": 21.5, "time": 1764000000.25}'), ok(1764000000.25, 21.5));
    assert.deepEqual(parseBridgePayload('{"value": 3, "time": "2025-01-01T00:00:00Z"}'), ok(1735689600, 3));
    assert.deepEqual(parseBridgePayload('{"timestamp": "1764000000", "value": "7"}'), ok(1764000000, 7));
    assert.deepEqual(parseBridgePayload('{"value": null}'), ok(undefined, null));
    assert.deepEqual(parseBridgePayload('{"value": true, "time": null}'), ok(undefined, true));
  });

  it('reads time,value lines in unix seconds or ISO 8601', () => {
    assert.deepEqual(parseBridgePayload('1764000000.25,21.5'), ok(1764000000.25, 21.5));
    assert.deepEqual(parseBridgePayload('2025-01-01T00:00:00Z, 3\n'), ok(1735689600, 3));
    assert.deepEqual(parseBridgePayload('2025-01-01T00:00:00,null'), ok(1735689600, null));
  });

  it('gives a reason for anything else', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      ['abc', /invalid value "abc"/],
      ['NaN', /invalid value/],
      ['1,2,3', /more than 2 columns/],
      ['x,1', /invalid timestamp "x"/],
      ['1764000000000,1', /milliseconds/],
      ['{"value": 1', /not valid JSON/],
      ['{"time": 1}', /no "value"/],
      ['{"value": "x"}', /invalid value "x"/],
      ['{"value": {"a": 1}}', /invalid value object/],
      ['{"value": 1, "time": true}', /neither a number nor text/],
      ['{"value": 1, "time": "yesterday"}', /invalid timestamp/],
      ['[1, 2]', /invalid timestamp/],
      ['1'.repeat(MAX_BRIDGE_PAYLOAD_CHARS + 1), /over 4096 characters/],
    ];
    for (const [payload, reason] of cases) {
      const r = parseBridgePayload(payload);
      assert.equal(r.ok, false, payload);
      assert.match((r as { reason: string }).reason, reason, payload);
    }
  });

  it('stays linear on long hostile input', () => {
    const started = performance.now();
    for (let i = 0; i < 200; i++) parseBridgePayload(`{"value": ${'['.repeat(2000)}`);
    for (let i = 0; i < 200; i++) parseBridgePayload(`${'1'.repeat(2000)}e${'-'.repeat(2000)}`);
    assert.ok(performance.now() - started < 2_000);
  });
});
