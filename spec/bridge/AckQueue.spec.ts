// PUBACKs in arrival order, held behind unsettled messages; messages of a closed connection are
// released without a PUBACK.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AckQueue } from '../../src/cli/bridge/AckQueue.js';

describe('AckQueue', () => {
  it('acknowledges in arrival order once the head is settled', () => {
    const sent: number[] = [];
    const q = new AckQueue((id) => sent.push(id));
    q.newConnection();
    const [a, b, c] = [q.add(1), q.add(2), q.add(3)];
    q.settle(c);
    q.settle(b);
    assert.deepEqual(sent, []);
    assert.equal(q.pending, 3);
    q.settle(a);
    assert.deepEqual(sent, [1, 2, 3]);
    assert.equal(q.pending, 0);
    q.settle(a);
    assert.deepEqual(sent, [1, 2, 3], 'settling twice sends nothing more');
  });

  it('sends no PUBACK for QoS 0 messages or messages of an earlier connection', () => {
    const sent: number[] = [];
    const released: [number | undefined, boolean][] = [];
    const q = new AckQueue((id) => sent.push(id), (t, acked) => released.push([t.messageId, acked]));
    q.newConnection();
    const old = q.add(7);
    const qos0 = q.add(undefined);
    q.newConnection();
    const fresh = q.add(7);
    q.settleAll([fresh, qos0]);
    assert.deepEqual(sent, []);
    q.settle(old);
    assert.deepEqual(sent, [7]);
    assert.deepEqual(released, [[7, false], [undefined, false], [7, true]]);
    assert.equal(q.stale, 1);
    assert.equal(q.acknowledged, 1);
  });

  it('keeps order across a million messages in linear time', () => {
    let next = 0;
    let ordered = true;
    const q = new AckQueue((id) => {
      ordered &&= id === next % 65536;
      next++;
    });
    const held = [];
    for (let i = 0; i < 1_000_000; i++) {
      held.push(q.add(i % 65536));
      if (held.length === 5000) q.settleAll(held.splice(0).reverse());
    }
    q.settleAll(held);
    assert.equal(next, 1_000_000);
    assert.ok(ordered);
  });
});
