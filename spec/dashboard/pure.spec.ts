// The dashboard's pure parts: the view as the URL holds it (round trip, bad input falls back), the
// gap rule and the gaps it inserts, and the time texts of the readout and the axis.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_VIEW, formatView, parseView, viewWindow, type DashboardView } from '../../src/dashboard/DashboardView.js';
import { formatReadoutTime } from '../../src/dashboard/formatReadoutTime.js';
import { formatTicks } from '../../src/dashboard/formatTicks.js';
import { gapThreshold, withGaps } from '../../src/dashboard/withGaps.js';

process.env.TZ = 'UTC';

describe('DashboardView', () => {
  it('round-trips through the query string', () => {
    const views: DashboardView[] = [
      DEFAULT_VIEW,
      { series: ['p-DpewL0TO-iBE4nMBCTsQ', 'abc_DEF-123'], range: '1d', window: undefined, layout: 'stacked', raw: false },
      { series: ['x'], range: '1y', window: { start: 1700000000.25, end: 1700000060.5 }, layout: 'overlay', raw: true },
      { series: ['x'], range: 'custom', window: { start: 0, end: 86400 }, layout: 'overlay', raw: false },
    ];
    for (const v of views) assert.deepEqual(parseView(formatView(v)), v);
    assert.equal(formatView(views[1]!), '?s=p-DpewL0TO-iBE4nMBCTsQ,abc_DEF-123&range=1d&layout=stacked');
  });

  it('falls back field by field on what it cannot read', () => {
    assert.deepEqual(parseView('?s=ok,<script>,,ok&range=2h&start=9&end=3&layout=grid&res=fine'), { ...DEFAULT_VIEW, series: ['ok'] });
    assert.deepEqual(parseView('?range=custom'), DEFAULT_VIEW, 'custom without a window');
    assert.deepEqual(parseView(''), DEFAULT_VIEW);
  });

  it('gives the window a view shows at a time', () => {
    assert.deepEqual(viewWindow({ ...DEFAULT_VIEW, range: '15m' }, 1000), { start: 100, end: 1000 });
    assert.deepEqual(viewWindow({ ...DEFAULT_VIEW, range: '1d', window: { start: 5, end: 6 } }, 1000), { start: 5, end: 6 });
    assert.equal(viewWindow({ ...DEFAULT_VIEW, range: 'all' }, 1000), undefined);
  });
});

describe('gaps', () => {
  it('breaks a step over five times the median step, never under two columns', () => {
    const xs = [0, 10, 20, 30, 40, 200, 210, 220];
    assert.equal(gapThreshold(xs, 1), 50);
    assert.equal(gapThreshold(xs, 100), 200);
    assert.equal(gapThreshold([1, 2], 1), Infinity, 'too few points to tell');
    const [gx, gy] = withGaps(xs, [1, 2, 3, 4, 5, 6, 7, 8], 50);
    assert.deepEqual(gx, [0, 10, 20, 30, 40, 120, 200, 210, 220]);
    assert.deepEqual(gy, [1, 2, 3, 4, 5, null, 6, 7, 8]);
    assert.equal(withGaps(xs, [1, 2, 3, 4, 5, 6, 7, 8], 200)[0].length, 8, 'no step over the threshold');
  });

  it('draws null, true and false as gaps, and hands back unchanged input without copying', () => {
    assert.deepEqual(withGaps([1, 2, 3], [1, null, 3], Infinity)[1], [1, null, 3]);
    assert.deepEqual(withGaps([1, 2, 3], [1, true as unknown as number, 3], Infinity)[1], [1, null, 3]);
    const xs = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const ys = Float64Array.from({ length: 100_000 }, (_, i) => Math.sin(i));
    const [gx, gy] = withGaps(xs, ys, gapThreshold(xs, 1));
    assert.equal(gx, xs);
    assert.equal(gy, ys);
  });
});

describe('time texts', () => {
  it('reads out seconds, and sub-seconds where the time has them', () => {
    assert.equal(formatReadoutTime(1764683107), '2025-12-02 13:45:07');
    assert.equal(formatReadoutTime(1764683107.25), '2025-12-02 13:45:07.25');
    assert.equal(formatReadoutTime(1764683107.000125), '2025-12-02 13:45:07.000125');
    assert.equal(formatReadoutTime(1764683107.5), '2025-12-02 13:45:07.5');
  });

  it('labels axis ticks in 24-hour time, with the date under the first tick of a day', () => {
    const t = 1764683100; // 2025-12-02 13:45:00
    assert.deepEqual(formatTicks([t, t + 60], 60), ['13:45\n2025-12-02', '13:46']);
    assert.deepEqual(formatTicks([t, t + 1], 1), ['13:45:00\n2025-12-02', '13:45:01']);
    assert.deepEqual(formatTicks([t + 0.25], 0.25), ['13:45:00.250\n2025-12-02']);
    assert.deepEqual(formatTicks([t], 86_400), ['2025-12-02']);
    assert.deepEqual(formatTicks([t], 30 * 86_400), ['2025-12']);
    assert.deepEqual(formatTicks([t], 365 * 86_400), ['2025']);
  });
});
