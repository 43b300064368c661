// Downsampling computed the obvious way from every raw point, independently of src/codec/downsample:
// what the exactness specs compare the server and the client against.
import type { Point, PointValue } from '../../src/codec/Point.js';

/** Math.min's order: -0 below +0. */
const below = (a: number, b: number): boolean => a < b || (a === 0 && b === 0 && Object.is(a, -0) && !Object.is(b, -0));

export function bruteBuckets(points: readonly Point[], start: number, end: number, every: number, agg: string): Point[] {
  const groups = new Map<number, Point[]>();
  for (const p of points) {
    if (p[0] < start || p[0] >= end) continue;
    const k = Math.floor(p[0] / every);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(p);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((k): Point => {
      const g = groups.get(k)!;
      const nums = g.map((p) => p[1]).filter((v): v is number => typeof v === 'number');
      let value: PointValue;
      if (agg === 'count') value = g.length;
      else if (agg === 'first') value = g[0]![1];
      else if (agg === 'last') value = g[g.length - 1]![1];
      else if (nums.length === 0) value = null;
      else if (agg === 'min') value = nums.reduce((a, b) => (below(b, a) ? b : a));
      else if (agg === 'max') value = nums.reduce((a, b) => (below(a, b) ? b : a));
      else {
        let sum = 0;
        for (const v of nums) sum += v;
        value = agg === 'sum' ? sum : sum / nums.length;
      }
      return [k * every, value];
    });
}

export function bruteM4(points: readonly Point[], start: number, end: number, w: number): Point[] {
  const columns = new Map<number, Point[]>();
  for (const p of points) {
    if (p[0] < start || p[0] >= end) continue;
    const c = Math.min(w - 1, Math.floor(((p[0] - start) * w) / (end - start)));
    let g = columns.get(c);
    if (!g) columns.set(c, (g = []));
    g.push(p);
  }
  const out: Point[] = [];
  for (const c of [...columns.keys()].sort((a, b) => a - b)) {
    const g = columns.get(c)!;
    const picked = new Set<Point>([g[0]!, g[g.length - 1]!]);
    let min: Point | undefined;
    let max: Point | undefined;
    for (const p of g) {
      if (typeof p[1] !== 'number') continue;
      if (!min || below(p[1], min[1] as number)) min = p;
      if (!max || below(max[1] as number, p[1])) max = p;
    }
    if (min) picked.add(min);
    if (max) picked.add(max);
    out.push(...[...picked].sort((a, b) => a[0] - b[0]));
  }
  return out;
}
