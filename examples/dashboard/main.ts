// The demo dashboard: one uPlot chart per series, history from values$, then live from live() (push
// over Server-Sent Events when the server offers it, polling otherwise), showing which one and when
// the last update came. Bundled by examples/demo/main.ts with esbuild ('timetric' aliased to the
// library's source) and served same-origin by the demo server, which injects window.TIMETRIC_DASHBOARD
// (server URL, poll interval, series list). The series are public, so the page reads them with no
// credentials at all (authtype 'anonymous'): nothing secret is in the page.
import { toArray } from 'rxjs';
import uPlot from 'uplot';
import { TimetricClient, type Point } from 'timetric';

/** What the demo injects into the page. */
interface DashboardConfig {
  url: string;
  /** Interval (ms) of the polling fallback. */
  intervalMs: number;
  series: { id: string; title: string; caption: string }[];
}

const config = (window as unknown as { TIMETRIC_DASHBOARD: DashboardConfig }).TIMETRIC_DASHBOARD;
const client = new TimetricClient({ authtype: 'anonymous' }, { baseUrl: config.url });
const root = document.getElementById('charts')!;

function chart(meta: DashboardConfig['series'][number]): void {
  const box = document.createElement('section');
  box.className = 'chart';
  box.dataset.series = meta.id;
  box.innerHTML = `<h2></h2><div class="status"><span class="state loading">loading history…</span> · <span class="mode">connecting</span> · last update <span class="updated">never</span> · <span class="count">0</span> points</div><div class="plot"></div>`;
  box.querySelector('h2')!.textContent = `${meta.title} (${meta.caption})`;
  root.append(box);
  const state = box.querySelector<HTMLElement>('.state')!;
  const updated = box.querySelector<HTMLElement>('.updated')!;
  const count = box.querySelector<HTMLElement>('.count')!;
  const mode = box.querySelector<HTMLElement>('.mode')!;
  const setState = (text: string, cls: string): void => {
    state.textContent = text;
    state.className = `state ${cls}`;
  };

  const xs: number[] = [];
  const ys: number[] = [];
  const plot = new uPlot(
    { width: Math.min(root.clientWidth || 900, 930), height: 220, series: [{}, { label: meta.caption, stroke: '#1565c0', width: 1.5 }], scales: { x: { time: true } } },
    [xs, ys],
    box.querySelector<HTMLElement>('.plot')!,
  );
  const redraw = (): void => {
    plot.setData([xs, ys]);
    count.textContent = String(xs.length);
    box.dataset.points = String(xs.length);
    box.dataset.last = xs.length ? `${xs[xs.length - 1]},${ys[ys.length - 1]}` : '';
  };
  const add = ([t, v]: Point): void => {
    if (typeof v !== 'number') return;
    if (xs.length && t <= xs[xs.length - 1]!) return; // already drawn (history and latest overlap)
    xs.push(t);
    ys.push(v);
  };

  const series = client.series(meta.id);
  series.values$.pipe(toArray()).subscribe({
    next: (points) => {
      for (const p of points) add(p);
      redraw();
      setState('live', 'live');
      updated.textContent = new Date().toLocaleTimeString();
      series.live({ intervalMs: config.intervalMs }).subscribe({
        next: ({ point, transport }) => {
          mode.textContent = transport;
          box.dataset.transport = transport;
          if (point === null) return;
          add(point);
          redraw();
          setState('live', 'live');
          updated.textContent = new Date().toLocaleTimeString();
        },
        error: (err: Error) => setState(`error: ${err.message}`, 'error'),
      });
    },
    error: (err: Error) => setState(`error: ${err.message}`, 'error'),
  });
}

for (const s of config.series) chart(s);
