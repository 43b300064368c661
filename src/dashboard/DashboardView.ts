/** A preset time range of the dashboard: the last 15 minutes … the last year, or everything. */
export type RangePreset = '15m' | '1h' | '1d' | '1w' | '1mo' | '1y' | 'all';

/** Every preset, in the order the range picker shows them, with its label and length in seconds (`all`: none). */
export const RANGE_PRESETS: readonly { preset: RangePreset; label: string; seconds: number | undefined }[] = [
  { preset: '15m', label: '15 min', seconds: 15 * 60 },
  { preset: '1h', label: '1 hour', seconds: 3600 },
  { preset: '1d', label: '1 day', seconds: 86_400 },
  { preset: '1w', label: '1 week', seconds: 7 * 86_400 },
  { preset: '1mo', label: '1 month', seconds: 30 * 86_400 },
  { preset: '1y', label: '1 year', seconds: 365 * 86_400 },
  { preset: 'all', label: 'all', seconds: undefined },
];

/**
 * What the dashboard shows, as its URL holds it: the series (ids, in order), the preset range, an
 * optional fixed window (a zoom or a custom range, unix seconds, end excluded), the layout, and
 * whether to draw every raw point instead of the per-pixel M4 summary.
 */
export interface DashboardView {
  series: string[];
  range: RangePreset | 'custom';
  /** A fixed window inside (or instead of) the preset; absent: the preset, following "now". */
  window: { start: number; end: number } | undefined;
  layout: 'overlay' | 'stacked';
  /** Fetch every point of the window, never a downsampled summary. Default false. */
  raw: boolean;
}

/** The view a dashboard opens with when its URL says nothing: no series, the last hour, one chart. */
export const DEFAULT_VIEW: DashboardView = { series: [], range: '1h', window: undefined, layout: 'overlay', raw: false };

const SERIES_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Reads a view from a query string (`?s=ID1,ID2&range=1d&start=…&end=…&layout=stacked&res=raw`).
 * Anything unreadable falls back to {@link DEFAULT_VIEW}'s value for that field, so an old or
 * hand-edited link still opens.
 */
export function parseView(search: string): DashboardView {
  const p = new URLSearchParams(search);
  const series = [...new Set((p.get('s') ?? '').split(',').filter((id) => SERIES_ID.test(id)))];
  const rangeText = p.get('range');
  const range = rangeText === 'custom' || RANGE_PRESETS.some((r) => r.preset === rangeText) ? (rangeText as DashboardView['range']) : DEFAULT_VIEW.range;
  const start = Number(p.get('start') ?? NaN);
  const end = Number(p.get('end') ?? NaN);
  const window = Number.isFinite(start) && Number.isFinite(end) && end > start ? { start, end } : undefined;
  return {
    series,
    range: range === 'custom' && !window ? DEFAULT_VIEW.range : range,
    window,
    layout: p.get('layout') === 'stacked' ? 'stacked' : 'overlay',
    raw: p.get('res') === 'raw',
  };
}

/** The query string (with its `?`, or `''`) that {@link parseView} reads back as `view`. */
export function formatView(view: DashboardView): string {
  const p = new URLSearchParams();
  if (view.series.length) p.set('s', view.series.join(','));
  p.set('range', view.range);
  if (view.window) {
    p.set('start', String(view.window.start));
    p.set('end', String(view.window.end));
  }
  if (view.layout === 'stacked') p.set('layout', 'stacked');
  if (view.raw) p.set('res', 'raw');
  const text = p.toString().replace(/%2C/g, ',');
  return text ? `?${text}` : '';
}

/**
 * The window a view shows at `now` (unix seconds): its fixed window, else the preset's last
 * seconds up to `now`; `undefined` for `all` (the series' own extent decides).
 */
export function viewWindow(view: DashboardView, now: number): { start: number; end: number } | undefined {
  if (view.window) return view.window;
  const seconds = RANGE_PRESETS.find((r) => r.preset === view.range)?.seconds;
  return seconds === undefined ? undefined : { start: now - seconds, end: now };
}
