// The three seeded data sets of the storage benchmark (issue 17). Each is a pure function of its
// seed and size, so every store (ours now, ours at an older ref, InfluxDB) gets the same points.
//   a: 1 Hz timestamps, a random walk with 2 decimals (steps of -0.50…+0.50);
//   b: 1 Hz timestamps, an integer counter rising by 0…5 a step;
//   c: irregular timestamps (gaps of 1 µs…2 s) written with 1–6 decimals of a second, the same
//      kind of random walk as (a).
// Timestamps and values are held as doubles; their shortest decimal text (String(x)) is exactly
// the text generated, so CSV, line protocol and the stores all see the same numbers.

/** The points of one data set, as columns, with their CSV and InfluxDB line-protocol text. */
export interface DataSetPoints {
  readonly times: Float64Array;
  readonly values: Float64Array;
  /** `t,v\n` lines of points [from, to), as our server writes them. */
  csv(from?: number, to?: number): string;
  /** `m value=V T\n` lines of points [from, to); T in the set's precision, exact. */
  lineProtocol(measurement: string, from?: number, to?: number): string;
}

/** One data set: a name, what it is, and its generator. */
export interface DataSet {
  readonly name: 'a' | 'b' | 'c';
  readonly description: string;
  /** The InfluxDB write precision that keeps every timestamp exact. */
  readonly precision: 's' | 'ns';
  /** Values are integers: written to InfluxDB as an integer field (`5i`), its natural type. */
  readonly integer: boolean;
  /** The first `n` points of the set (the same for every call with the same seed). */
  points(n: number, seed?: number): DataSetPoints;
}

const T0 = 1_500_000_000;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Nanoseconds as an exact integer string, from a double whose shortest text has ≤ 9 decimals. */
function nanoseconds(t: number): string {
  const [whole, frac = ''] = String(t).split('.');
  return `${whole}${frac.padEnd(9, '0')}`;
}

function columns(times: Float64Array, values: Float64Array, precision: 's' | 'ns', integer: boolean): DataSetPoints {
  const n = times.length;
  return {
    times,
    values,
    csv(from = 0, to = n) {
      let text = '';
      for (let i = from; i < to; i++) text += `${times[i]},${values[i]}\n`;
      return text;
    },
    lineProtocol(measurement, from = 0, to = n) {
      const suffix = integer ? 'i' : '';
      let text = '';
      for (let i = from; i < to; i++) {
        const t = times[i]!;
        text += `${measurement} value=${values[i]}${suffix} ${precision === 's' ? String(t) : nanoseconds(t)}\n`;
      }
      return text;
    },
  };
}

/** Random walk in hundredths: the value of step i, 2 decimals, starting at 100.00. */
function walk(n: number, random: () => number): Float64Array {
  const values = new Float64Array(n);
  let cents = 10_000;
  for (let i = 0; i < n; i++) {
    values[i] = cents / 100;
    cents += Math.floor(random() * 101) - 50;
  }
  return values;
}

function regular(n: number): Float64Array {
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = T0 + i;
  return times;
}

/** The benchmark's data sets, (a), (b) and (c); seed 17 unless told. */
export const datasets: readonly DataSet[] = [
  {
    name: 'a',
    description: '1 Hz, random walk, 2 decimals',
    precision: 's',
    integer: false,
    points: (n, seed = 17) => columns(regular(n), walk(n, prng(seed)), 's', false),
  },
  {
    name: 'b',
    description: '1 Hz, integer counter, steps 0–5',
    precision: 's',
    integer: true,
    points(n, seed = 17) {
      const random = prng(seed + 1);
      const values = new Float64Array(n);
      let count = 0;
      for (let i = 0; i < n; i++) {
        values[i] = count;
        count += Math.floor(random() * 6);
      }
      return columns(regular(n), values, 's', true);
    },
  },
  {
    name: 'c',
    description: 'irregular, 1–6 decimals of a second',
    precision: 'ns',
    integer: false,
    points(n, seed = 17) {
      const random = prng(seed + 2);
      const times = new Float64Array(n);
      // Integer microseconds stay exact (< 2^53); each stamp is rounded up to its own number of
      // decimals, so it stays after the one before.
      let us = T0 * 1e6;
      for (let i = 0; i < n; i++) {
        const step = 10 ** (6 - (1 + Math.floor(random() * 6)));
        us = Math.ceil((us + 1 + Math.floor(random() * 2e6)) / step) * step;
        times[i] = us / 1e6;
      }
      return columns(times, walk(n, prng(seed + 3)), 'ns', false);
    },
  },
];
