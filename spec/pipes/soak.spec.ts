// Acceptance of issue 14: sensor pipes that never lose a point. For the 2 minutes the issue asks
// (the spec runner gives a file 5 minutes; `BENCH_SOAK=1 npm run bench:pipes` runs the same soak and
// prints its figures) a child process pipes
// 1,000 points/s through a journaled writeTo and 1 increment/s through a journaled incrementTo; the
// pipe is SIGKILLed and restarted on the same journals 10 times, the server (its own process, on a
// SQLite file) 5 times, and the network is cut for 30 s. Every point reported accepted must be
// stored exactly once with its value, and the counter must equal the sum of the accepted windows.
// Real processes and wall-clock waits for the kills; the retry timing itself is covered in virtual
// time by the stream specs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSoak } from './runSoak.js';

describe('sensor pipe soak (issue 14)', () => {
  it('loses no accepted point and counts every accepted increment once through 10 pipe kills, 5 server kills and a 30 s cut', async (t) => {
    const r = await runSoak({ seconds: 120, pipeKills: 10, serverKills: 5, cutSeconds: 30 });
    t.diagnostic(JSON.stringify(r));
    assert.equal(r.pipeKills, 10);
    assert.equal(r.serverKills, 5);
    assert.ok(r.acceptedPoints > 30_000, `points accepted: ${r.acceptedPoints}`);
    assert.equal(r.missing, 0, 'every accepted point is stored');
    assert.equal(r.wrongValues, 0, 'with its value');
    // A batch journaled an instant before a kill, whose line never left, is stored too (it was accepted).
    assert.ok(r.storedPoints >= r.acceptedPoints && r.storedPoints <= r.acceptedPoints + 10 * 1_000, `stored ${r.storedPoints}`);
    assert.ok(r.windows >= 45, `increment windows accepted: ${r.windows}`);
    assert.equal(r.counter, r.acceptedSum, 'the counter is the exact sum of the accepted increments');
  });
});
