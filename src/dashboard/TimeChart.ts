import uPlot from 'uplot';
import { formatReadoutTime } from './formatReadoutTime.js';
import { formatTicks } from './formatTicks.js';
import { pixelColumnLine } from './pixelColumnLine.js';
import { gapThreshold, withGaps } from './withGaps.js';

/** One line of a {@link TimeChart}. */
export interface ChartLine {
  label: string;
  /** Unit shown after the value in the readout (the series' caption). */
  unit: string;
  color: string;
}

/** What a {@link TimeChart} tells its owner. */
export interface ChartHandlers {
  /** The user dragged over `[start, end)` (unix seconds). */
  onZoom(start: number, end: number): void;
  /** The user double-clicked the plot: back to the view before zooming. */
  onReset(): void;
}

interface LineData {
  xs: number[];
  ys: (number | null)[];
  /** Step above which the line breaks (see gapThreshold), fixed when the points are set. */
  threshold: number;
  /** Points appended (live) since the points were last set. */
  appended: [number, number | null][];
}

/**
 * One uPlot chart of one or more lines over a time window that only its owner moves: new points
 * and resizes never reset the scales (every update is `setData(…, false)` followed by the owner's
 * window), a drag reports a zoom instead of zooming, and gaps in the data are drawn as gaps.
 * Updates are drawn at most once a frame.
 */
export class TimeChart {
  /** The element holding the chart. */
  readonly element: HTMLElement;
  private readonly plot: uPlot;
  private readonly lines: LineData[];
  private window: { start: number; end: number };
  private frame: number | undefined;
  private gapCounts: number[] = [];

  constructor(parent: HTMLElement, lines: readonly ChartLine[], handlers: ChartHandlers, size: { width: number; height: number }) {
    this.element = document.createElement('div');
    this.element.className = 'plot';
    parent.append(this.element);
    this.lines = lines.map(() => ({ xs: [], ys: [], threshold: Infinity, appended: [] }));
    const now = Date.now() / 1000;
    this.window = { start: now - 3600, end: now };
    const units = [...new Set(lines.map((line) => line.unit))];
    const opts: uPlot.Options = {
      width: size.width,
      height: size.height,
      scales: {
        x: { time: true, auto: false },
        // An empty chart gets a range too, so its axes are laid out as they will be with data: the
        // plot's width (the columns a view is fetched at) does not change when the data arrives.
        ...Object.fromEntries(
          units.map((unit) => [`y:${unit}`, { range: (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax => (min == null || max == null ? [0, 1] : uPlot.rangeNum(min, max, 0.1, true)) }]),
        ),
      },
      series: [
        { label: 'time', value: (_u, v: number | null) => (v == null ? '—' : formatReadoutTime(v)) },
        ...lines.map((line) => ({
          label: line.label,
          scale: `y:${line.unit}`,
          stroke: line.color,
          width: 1.5,
          spanGaps: false,
          paths: pixelColumnLine(),
          value: (_u: uPlot, v: number | null) => (v == null ? '—' : `${v} ${line.unit}`.trim()),
        })),
      ],
      // One y scale per unit: the first on the left, the second on the right, any more unlabelled.
      axes: [
        { stroke: '#555', grid: { stroke: '#eee' }, values: (_u, splits, _axis, _space, incr) => formatTicks(splits, incr) },
        ...units.slice(0, 2).map(
          (unit, k): uPlot.Axis => ({
            scale: `y:${unit}`,
            side: k === 0 ? 3 : 1,
            ...(unit ? { label: unit, labelSize: 20 } : {}),
            stroke: '#555',
            size: 56,
            grid: { show: k === 0, stroke: '#eee' },
          }),
        ),
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false },
        // Stacked charts share the cursor: the readout of every chart is at the same time.
        sync: { key: 'timetric-dashboard' },
        bind: {
          dblclick: () => () => {
            handlers.onReset();
            return null;
          },
        },
      },
      legend: { live: true },
      hooks: {
        setSelect: [
          (u) => {
            const { left, width } = u.select;
            if (width >= 3) handlers.onZoom(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'));
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
    this.plot = new uPlot(opts, [[], ...lines.map(() => [])], this.element);
  }

  /** Width of the plotting area in device pixels: the columns a view is fetched at. */
  get columns(): number {
    // bbox is in device pixels, the columns uPlot draws in.
    return Math.max(1, Math.round(this.plot.bbox.width));
  }

  /** The window shown, unix seconds. */
  get shown(): { start: number; end: number } {
    return { ...this.window };
  }

  /** Moves the window (no data is fetched or dropped). */
  setWindow(start: number, end: number): void {
    this.window = { start, end };
    this.schedule();
  }

  /**
   * Replaces a line's points; `columnSeconds` is the width of a pixel column, for the gap rule.
   * Points appended since that are newer than the last of `xs` are kept: a live point may
   * arrive while a read is on its way.
   */
  setPoints(index: number, xs: number[], ys: (number | null)[], columnSeconds: number): void {
    const appended = this.lines[index]?.appended ?? [];
    const lastNew = xs.length ? xs[xs.length - 1]! : -Infinity;
    for (const [t, v] of appended) {
      if (t > lastNew) {
        xs.push(t);
        ys.push(v);
      }
    }
    this.lines[index] = { xs, ys, threshold: gapThreshold(xs, columnSeconds), appended: [] };
    this.schedule();
  }

  /** Appends a point newer than the line's last one; returns false (and draws nothing) otherwise. */
  append(index: number, t: number, v: number | null): boolean {
    const line = this.lines[index];
    if (!line) return false;
    const last = line.xs[line.xs.length - 1];
    if (last !== undefined && t <= last) return false;
    line.xs.push(t);
    line.ys.push(v);
    line.appended.push([t, v]);
    this.schedule();
    return true;
  }

  /** Gaps (breaks in the line) drawn in a line at the last draw. */
  gaps(index: number): number {
    return this.gapCounts[index] ?? 0;
  }

  /** Points held by a line (shown or not). */
  count(index: number): number {
    return this.lines[index]?.xs.length ?? 0;
  }

  /** The last point of a line, if any. */
  last(index: number): [number, number | null] | undefined {
    const line = this.lines[index];
    const n = line?.xs.length ?? 0;
    return line && n ? [line.xs[n - 1]!, line.ys[n - 1]!] : undefined;
  }

  /** Follows a new width (the height stays). */
  resize(width: number): void {
    if (Math.abs(width - this.plot.width) < 1) return;
    this.plot.setSize({ width, height: this.plot.height });
  }

  /** Draws the pending update now (normally it waits for the next frame). */
  flush(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.draw();
  }

  /** Removes the chart. */
  destroy(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.plot.destroy();
    this.element.remove();
  }

  private schedule(): void {
    this.frame ??= requestAnimationFrame(() => {
      this.frame = undefined;
      this.draw();
    });
  }

  private draw(): void {
    // uPlot reads plain and typed arrays alike; its types name only the plain ones.
    const tables = this.lines.map((line) => withGaps(line.xs, line.ys, line.threshold) as unknown as uPlot.AlignedData);
    this.gapCounts = tables.map(([xs], k) => xs.length - this.lines[k]!.xs.length);
    const data = tables.length === 1 ? tables[0]! : uPlot.join(tables);
    this.plot.setData(data, false);
    this.plot.setScale('x', { min: this.window.start, max: this.window.end });
    // What the page checks read: the window drawn.
    this.element.dataset.start = String(this.window.start);
    this.element.dataset.end = String(this.window.end);
    this.element.dataset.plot = `${this.plot.bbox.left},${this.plot.bbox.width}`;
    this.element.dispatchEvent(new CustomEvent('drawn', { bubbles: true }));
  }
}
