import type uPlot from 'uplot';

/**
 * A uPlot path builder that draws a line one pixel column at a time: the points whose x position
 * falls in the same device-pixel column (`floor` of the position) become one vertical stroke at the
 * column's centre, from the column's first value to its smallest, its largest and its last; a
 * column is joined to the next by a line from its last value to the next one's first. That is all
 * M4 keeps of a column, so a chart of the M4 summary at the plot's width (columns aligned with the
 * plot's pixels) and a chart of every raw point draw the same path: the same pixels. A `null`
 * value breaks the line (a gap); `undefined` (another series' time, after a join) is passed over.
 */
export function pixelColumnLine(): uPlot.Series.PathBuilder {
  return (u, seriesIdx, idx0, idx1) => {
    const xs = u.data[0];
    const ys = u.data[seriesIdx]!;
    const scale = u.series[seriesIdx]!.scale ?? 'y';
    const stroke = new Path2D();
    let column = NaN;
    let first = 0;
    let low = 0;
    let high = 0;
    let last = 0;
    let open = false;
    const flush = (): void => {
      if (Number.isNaN(column)) return;
      const x = column + 0.5;
      if (open) stroke.lineTo(x, first);
      else stroke.moveTo(x, first);
      // Canvas y grows downwards: the smallest value is the lowest on screen (largest y).
      if (low !== first && low !== last) stroke.lineTo(x, low);
      if (high !== first && high !== last) stroke.lineTo(x, high);
      stroke.lineTo(x, last);
      open = true;
      column = NaN;
    };
    for (let i = idx0; i <= idx1; i++) {
      const v = ys[i];
      if (v === undefined) continue;
      if (v === null) {
        flush();
        open = false;
        continue;
      }
      const c = Math.floor(u.valToPos(xs[i]!, 'x', true));
      const y = u.valToPos(v, scale, true);
      if (c !== column) {
        flush();
        column = c;
        first = low = high = last = y;
      } else {
        last = y;
        if (y > low) low = y;
        if (y < high) high = y;
      }
    }
    flush();
    return { stroke, fill: null, clip: null, flags: 0 };
  };
}
