import { Subject, Subscription, catchError, combineLatest, debounceTime, defaultIfEmpty, filter, forkJoin, map, of, switchMap, take, toArray, type Observable } from 'rxjs';
import { TimetricClient, type Point, type Series, type TimetricConfig } from '../index.js';
import type { SeriesInfo } from '../client/searchSeries.js';
import { connectionState, type RequestOutcome } from './connectionState.js';
import { RANGE_PRESETS, formatView, parseView, viewWindow, type DashboardView, type RangePreset } from './DashboardView.js';
import { downloadCsv } from './downloadCsv.js';
import { loadPoints } from './loadPoints.js';
import { TimeChart } from './TimeChart.js';
import { readToken, writeToken, type ApiToken } from './tokenStore.js';
import { watchedFetch } from './watchedFetch.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
/** Polling interval and longest backoff of the live tail when push is unavailable or reconnecting, ms. */
const LIVE_INTERVAL_MS = 5_000;

/** One chart on the page and the series (by index into the view's list) it draws. */
interface Panel {
  chart: TimeChart;
  section: HTMLElement;
  members: number[];
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
};

const isoName = (t: number): string => new Date(t * 1000).toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');

/** `datetime-local` text of a unix time, in the page's time zone, and back. */
const toLocalInput = (t: number): string => {
  const d = new Date(t * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
};
const fromLocalInput = (text: string): number => new Date(text).getTime() / 1000;

/**
 * The dashboard page: signs in with an API token or reads anonymously, picks series through the
 * search endpoint, and draws them (one chart or stacked) over a chosen range with a live tail,
 * a connection state, zoom and reset, and CSV downloads. The view lives in the URL's query.
 */
export class Dashboard {
  private view: DashboardView;
  private client!: TimetricClient;
  private readonly outcomes = new Subject<RequestOutcome>();
  private readonly info = new Map<string, SeriesInfo>();
  private panels: Panel[] = [];
  private loads = new Subscription();
  private lives = new Subscription();
  private customBase: { start: number; end: number } | undefined;
  private loadedOnce = false;
  private readonly baseUrl: string;

  constructor(location: Location) {
    this.view = parseView(location.search);
    if (this.view.range === 'custom') this.customBase = this.view.window;
    this.baseUrl = new URL('../', location.href).href.replace(/\/+$/, '');
  }

  /** Builds the controls, connects, and draws the view of the URL. */
  start(): void {
    connectionState(this.outcomes).subscribe((state) => {
      const badge = $('state');
      badge.textContent = state;
      badge.dataset.state = state;
    });
    this.buildRanges();
    this.bindControls();
    this.connect(readToken());
  }

  // ---- access -------------------------------------------------------------------------------

  private connect(token: ApiToken | undefined): void {
    const config: TimetricConfig = token ? { authtype: 'apitoken', apitoken_key: token.key, apitoken_secret: token.secret } : { authtype: 'anonymous' };
    this.client = new TimetricClient(config, {
      baseUrl: this.baseUrl,
      fetch: watchedFetch((input, init) => fetch(input, init), (o) => this.outcomes.next(o)),
    });
    $('signin').hidden = token !== undefined;
    $('who').hidden = token === undefined;
    $('who-name').textContent = token ? `signed in with token ${token.key}` : '';
    this.say(undefined);
    this.info.clear();
    this.lookUpTitles();
  }

  private signIn(token: ApiToken | undefined): void {
    writeToken(token);
    this.connect(token);
    if (!token) return;
    // One search answers whether the server takes the token.
    this.client
      .search({ pageSize: 1 })
      .pipe(take(1), defaultIfEmpty(undefined))
      .subscribe({
        error: (err: Error) => {
          this.say(`Sign-in failed: ${err.message}`);
          writeToken(undefined);
          this.connect(undefined);
        },
      });
  }

  /** Titles and captions of the series in the view, then the charts (unknown ids keep their id as title). */
  private lookUpTitles(): void {
    const wanted = new Set(this.view.series.filter((id) => !this.info.has(id)));
    const found$: Observable<SeriesInfo[]> = wanted.size
      ? this.client.search({}).pipe(
          filter((s) => wanted.has(s.id)),
          take(wanted.size),
          toArray(),
        )
      : of([]);
    found$.subscribe({
      next: (found) => {
        for (const s of found) this.info.set(s.id, s);
        this.rebuild();
      },
      error: (err: Error) => {
        this.say(`Could not list series: ${err.message}`);
        this.rebuild();
      },
    });
  }

  // ---- controls -----------------------------------------------------------------------------

  private buildRanges(): void {
    const box = $('ranges');
    for (const r of [...RANGE_PRESETS, { preset: 'custom' as const, label: 'custom…' }]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = r.label;
      b.dataset.range = r.preset;
      b.addEventListener('click', () => (r.preset === 'custom' ? this.openCustom() : this.setRange(r.preset)));
      box.append(b);
    }
  }

  private bindControls(): void {
    $('signin').addEventListener('submit', (e) => {
      e.preventDefault();
      const form = e.target as HTMLFormElement;
      const key = (form.elements.namedItem('key') as HTMLInputElement).value.trim();
      const secret = (form.elements.namedItem('secret') as HTMLInputElement).value.trim();
      form.reset();
      this.signIn({ key, secret });
    });
    $('signout').addEventListener('click', () => this.signIn(undefined));
    $('reset').addEventListener('click', () => this.resetZoom());
    $('download').addEventListener('click', () => this.download());
    $<HTMLInputElement>('stacked').addEventListener('change', (e) => {
      this.update({ layout: (e.target as HTMLInputElement).checked ? 'stacked' : 'overlay' }, true);
    });
    $('custom-apply').addEventListener('click', () => {
      const start = fromLocalInput($<HTMLInputElement>('custom-start').value);
      const end = fromLocalInput($<HTMLInputElement>('custom-end').value);
      if (!(end > start)) return this.say('The custom range needs a start before its end.');
      this.customBase = { start, end };
      this.update({ range: 'custom', window: this.customBase }, false);
    });
    this.bindSearch();
    new ResizeObserver(() => this.resize()).observe($('charts'));
    // Legends follow what was drawn (points, last value, gaps).
    $('charts').addEventListener('drawn', () => this.view.series.forEach((_, i) => this.describe(i)));
  }

  private bindSearch(): void {
    const input = $<HTMLInputElement>('search');
    const list = $('results');
    const query$ = new Subject<string>();
    query$
      .pipe(
        debounceTime(150),
        switchMap((q) =>
          this.client.search(q ? { q } : {}).pipe(
            take(20),
            toArray(),
            catchError((err: Error) => {
              this.say(`Search failed: ${err.message}`);
              return of([] as SeriesInfo[]);
            }),
          ),
        ),
      )
      .subscribe({
        next: (found) => {
          list.replaceChildren(
            ...found.map((s) => {
              this.info.set(s.id, s);
              const li = document.createElement('li');
              li.dataset.id = s.id;
              li.className = this.view.series.includes(s.id) ? 'chosen' : '';
              const title = document.createElement('span');
              title.textContent = s.title || s.id;
              const caption = document.createElement('span');
              caption.className = 'caption';
              caption.textContent = s.caption;
              const tags = document.createElement('span');
              tags.className = 'tags';
              tags.textContent = s.tags.map((t) => `#${t}`).join(' ');
              li.append(title, caption, tags);
              li.addEventListener('mousedown', (e) => {
                e.preventDefault();
                this.toggleSeries(s.id);
                li.className = this.view.series.includes(s.id) ? 'chosen' : '';
              });
              return li;
            }),
          );
          if (!found.length) {
            const li = document.createElement('li');
            li.className = 'none';
            li.textContent = 'no series found';
            list.replaceChildren(li);
          }
          list.hidden = document.activeElement !== input;
        },
      });
    input.addEventListener('input', () => query$.next(input.value.trim()));
    input.addEventListener('focus', () => query$.next(input.value.trim()));
    input.addEventListener('blur', () => (list.hidden = true));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') input.blur();
    });
  }

  private toggleSeries(id: string): void {
    const series = this.view.series.includes(id) ? this.view.series.filter((s) => s !== id) : [...this.view.series, id];
    this.update({ series }, true);
  }

  private setRange(range: RangePreset): void {
    $('custom').hidden = true;
    this.update({ range, window: undefined }, false);
  }

  private openCustom(): void {
    const box = $('custom');
    box.hidden = !box.hidden;
    const shown = this.panels[0]?.chart.shown ?? viewWindow(this.view, Date.now() / 1000) ?? { start: Date.now() / 1000 - 3600, end: Date.now() / 1000 };
    $<HTMLInputElement>('custom-start').value = toLocalInput(shown.start);
    $<HTMLInputElement>('custom-end').value = toLocalInput(shown.end);
  }

  private zoom(start: number, end: number): void {
    this.update({ window: { start, end } }, false);
  }

  private resetZoom(): void {
    this.update({ window: this.view.range === 'custom' ? this.customBase : undefined }, false);
  }

  private zoomed(): boolean {
    if (!this.view.window) return false;
    const base = this.customBase;
    return this.view.range !== 'custom' || !base || base.start !== this.view.window.start || base.end !== this.view.window.end;
  }

  /** Applies a change of the view: the URL, the buttons, then either new charts or new data. */
  private update(change: Partial<DashboardView>, rebuild: boolean): void {
    this.view = { ...this.view, ...change };
    history.replaceState(null, '', `${location.pathname}${formatView(this.view)}`);
    if (rebuild) this.lookUpTitles();
    else {
      this.reflectControls();
      this.reload();
    }
  }

  private reflectControls(): void {
    for (const b of $('ranges').querySelectorAll<HTMLButtonElement>('button')) b.setAttribute('aria-pressed', String(b.dataset.range === this.view.range));
    $<HTMLInputElement>('stacked').checked = this.view.layout === 'stacked';
    $<HTMLButtonElement>('reset').disabled = !this.zoomed();
    $<HTMLButtonElement>('download').disabled = this.view.series.length === 0;
    $('empty').hidden = this.view.series.length > 0;
  }

  private say(text: string | undefined): void {
    const box = $('message');
    box.textContent = text ?? '';
    box.hidden = !text;
  }

  // ---- charts -------------------------------------------------------------------------------

  private seriesAt(i: number): Series {
    return this.client.series(this.view.series[i]!);
  }

  private title(i: number): string {
    const id = this.view.series[i]!;
    return this.info.get(id)?.title || id;
  }

  /** New charts and legend for the view's series, then their data and live tails. */
  private rebuild(): void {
    for (const p of this.panels) p.chart.destroy();
    $('charts').replaceChildren();
    this.panels = [];
    this.lives.unsubscribe();
    this.lives = new Subscription();
    this.loadedOnce = false;
    delete document.documentElement.dataset.firstDraw;
    this.reflectControls();
    this.buildLegend();
    const n = this.view.series.length;
    if (n === 0) return this.reload();
    const groups = this.view.layout === 'stacked' ? this.view.series.map((_, i) => [i]) : [this.view.series.map((_, i) => i)];
    const width = this.chartWidth();
    const height = this.view.layout === 'stacked' ? Math.max(160, Math.min(260, Math.floor((innerHeight - 260) / n))) : Math.max(260, Math.min(440, innerHeight - 300));
    for (const members of groups) {
      const section = document.createElement('section');
      section.className = 'chart';
      if (this.view.layout === 'stacked') {
        const h2 = document.createElement('h2');
        h2.textContent = this.title(members[0]!);
        section.append(h2);
      }
      $('charts').append(section);
      const chart = new TimeChart(
        section,
        members.map((i) => ({ label: this.title(i), unit: this.info.get(this.view.series[i]!)?.caption ?? '', color: COLORS[i % COLORS.length]! })),
        { onZoom: (a, b) => this.zoom(a, b), onReset: () => this.resetZoom() },
        { width, height },
      );
      this.panels.push({ chart, section, members });
    }
    this.reload();
    this.startLive();
  }

  private chartWidth(): number {
    return Math.max(300, $('charts').clientWidth - 14);
  }

  private resize(): void {
    const width = this.chartWidth();
    for (const p of this.panels) p.chart.resize(width);
  }

  private buildLegend(): void {
    $('legend').replaceChildren(
      ...this.view.series.map((id, i) => {
        const li = document.createElement('li');
        li.dataset.series = id;
        li.style.setProperty('--color', COLORS[i % COLORS.length]!);
        const title = document.createElement('span');
        title.className = 'title';
        title.textContent = this.title(i);
        const value = document.createElement('span');
        value.className = 'value';
        value.textContent = '—';
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = 'loading…';
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.title = 'remove from the dashboard';
        remove.textContent = '×';
        remove.addEventListener('click', () => this.toggleSeries(id));
        li.append(title, value, meta, remove);
        return li;
      }),
    );
  }

  private where(i: number): { chart: TimeChart; line: number } | undefined {
    const panel = this.panels.find((p) => p.members.includes(i));
    return panel && { chart: panel.chart, line: panel.members.indexOf(i) };
  }

  private legendItem(i: number): HTMLElement | null {
    return $('legend').children.item(i) as HTMLElement | null;
  }

  /** Shows a line's point count, last value and resolution in its legend item (and its data attributes). */
  private describe(i: number, resolution?: 'm4' | 'raw'): void {
    const li = this.legendItem(i);
    const at = this.where(i);
    if (!li || !at) return;
    const { chart, line } = at;
    const last = chart.last(line);
    const unit = this.info.get(this.view.series[i]!)?.caption ?? '';
    li.dataset.points = String(chart.count(line));
    li.dataset.last = last ? `${last[0]},${last[1]}` : '';
    li.dataset.gaps = String(chart.gaps(line));
    // The latest value of the series when the live tail has one, else the last point drawn.
    const latest = li.dataset.latest?.split(',')[1];
    const value = latest ?? (last ? String(last[1] ?? '—') : undefined);
    li.querySelector('.value')!.textContent = value === undefined ? '—' : `${value} ${unit}`.trim();
    if (resolution !== undefined) li.dataset.resolution = resolution;
    if (li.dataset.resolution) li.querySelector('.meta')!.textContent = `${chart.count(line).toLocaleString()} points${li.dataset.resolution === 'm4' ? ' · per pixel' : ' · every point'}`;
  }

  /** The window to fetch now: the view's, or for `all` the union of the series' extents. */
  private window$(): Observable<{ start: number; end: number }> {
    const now = Date.now() / 1000;
    const fixed = viewWindow(this.view, now);
    if (fixed) return of(fixed);
    const extents = this.view.series.map((id) =>
      combineLatest([
        this.client
          .series(id)
          .values({ pageSize: 1 })
          .pipe(take(1), defaultIfEmpty(undefined as Point | undefined)),
        this.client.series(id).latest(),
      ]).pipe(take(1)),
    );
    return forkJoin(extents).pipe(
      map((pairs) => {
        const firsts = pairs.map(([f]) => f?.[0]).filter((t): t is number => t !== undefined);
        const lasts = pairs.map(([, l]) => l?.[0]).filter((t): t is number => t !== undefined);
        if (!firsts.length) return { start: now - 3600, end: now };
        const start = Math.min(...firsts);
        const end = Math.max(...lasts, start) + 1;
        return { start, end: Math.max(end, start + 1) };
      }),
    );
  }

  /** Fetches every series for the current window: one request per series (plus the extents for `all`). */
  private reload(): void {
    this.loads.unsubscribe();
    this.loads = new Subscription();
    if (!this.panels.length) return;
    this.loads.add(
      this.window$().subscribe({
        next: (window) => {
          // Laid out for this window (its axis labels decide the plot's width) before the
          // columns are read, so the data arrives at the width it is drawn at.
          for (const p of this.panels) {
            p.chart.setWindow(window.start, window.end);
            p.chart.flush();
          }
          // uPlot lays a draw out in a microtask: read the columns after it.
          const loads = this.loads;
          queueMicrotask(() => {
            if (!loads.closed) this.loadAll(window, loads);
          });
        },
        error: (err: Error) => this.say(`Could not read the series: ${err.message}`),
      }),
    );
  }

  /** One read per series of the view for `window`, added to `loads`. */
  private loadAll(window: { start: number; end: number }, loads: Subscription): void {
    let pending = this.view.series.length;
    this.view.series.forEach((_, i) => {
      const { chart, line } = this.where(i)!;
      const columns = chart.columns;
      chart.element.dataset.columns = String(columns);
      loads.add(
        loadPoints(this.seriesAt(i), window, columns, this.view.raw).subscribe({
          next: ({ points, resolution }) => {
            const xs = new Array<number>(points.length);
            const ys = new Array<number | null>(points.length);
            for (let k = 0; k < points.length; k++) {
              const [t, v] = points[k]!;
              xs[k] = t;
              ys[k] = typeof v === 'number' ? v : null;
            }
            chart.setPoints(line, xs, ys, (window.end - window.start) / columns);
            this.describe(i, resolution);
            if (--pending === 0) this.drawn();
          },
          error: (err: Error) => this.say(`${this.title(i)}: ${err.message}`),
        }),
      );
    });
  }

  /** Every series of the view drawn: marks the first draw (for the page checks) once per view. */
  private drawn(): void {
    for (const p of this.panels) p.chart.flush();
    if (!this.loadedOnce) {
      this.loadedOnce = true;
      document.documentElement.dataset.firstDraw = String(performance.now());
    }
    document.documentElement.dataset.loads = String(Number(document.documentElement.dataset.loads ?? 0) + 1);
  }

  /** The live tail of every series: appended to its line without moving a fixed window; a following window slides. */
  private startLive(): void {
    this.view.series.forEach((_, i) => {
      this.lives.add(
        this.seriesAt(i)
          .live({ mode: 'auto', intervalMs: LIVE_INTERVAL_MS, maxBackoffMs: LIVE_INTERVAL_MS })
          .subscribe({
            next: ({ point, transport }) => {
              $('transport').textContent = `updates by ${transport}`;
              const li = this.legendItem(i);
              if (li) li.dataset.transport = transport;
              if (!point) return;
              const [t, v] = point;
              if (li) li.dataset.latest = `${t},${v}`;
              const at = this.where(i);
              if (!at) return;
              // A fixed window (a zoom, a custom range) shows what it holds: later points wait
              // for the next view; the legend still shows the latest value.
              const fixed = this.view.window;
              if (fixed && t >= fixed.end) return this.describe(i);
              const { chart, line } = at;
              if (!chart.append(line, t, typeof v === 'number' ? v : null)) return;
              this.follow(t);
              this.describe(i);
            },
            error: (err: Error) => this.say(`${this.title(i)}: live updates stopped: ${err.message}`),
          }),
      );
    });
  }

  /** A window that follows "now" (a preset, not zoomed) slides to include a new point at `t`. */
  private follow(t: number): void {
    if (this.view.window) return;
    const seconds = RANGE_PRESETS.find((r) => r.preset === this.view.range)?.seconds;
    for (const p of this.panels) {
      const { start, end } = p.chart.shown;
      if (t < end) continue;
      const newEnd = Math.max(t + 1, Date.now() / 1000);
      p.chart.setWindow(seconds === undefined ? start : newEnd - seconds, newEnd);
    }
  }

  private download(): void {
    const shown = this.panels[0]?.chart.shown;
    if (!shown) return;
    const start = Math.floor(shown.start);
    const end = Math.ceil(shown.end);
    this.view.series.forEach((id, i) => {
      const name = `${(this.info.get(id)?.title || id).replace(/[^\w.-]+/g, '_')}_${isoName(start)}_${isoName(end)}.csv`;
      downloadCsv(this.seriesAt(i), start, end, name).catch((err: Error) => this.say(`Download failed: ${err.message}`));
    });
  }
}

