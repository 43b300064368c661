// A year (or any span) of 1 Hz points written in bulk through the store's staged writer, not
// through 31 M requests: a seeded random walk with 2 decimals, in batches of 50,000 points and
// writers of 2,000,000, then compacted. Shared by the dashboard specs and bench/dashboard.ts.
import type { Point } from '../../src/codec/Point.js';
import { mintSeriesId } from '../../src/server/ids.js';
import type { Store } from '../../src/server/store/Store.js';
import { seededRandom } from '../helpers/seededRandom.js';

/** Writes `seconds` points, one a second from `start`, into a new public series of `ownerId`; resolves to its id. */
export async function writeYear(store: Store, ownerId: number, options: { start: number; seconds: number; title?: string; seed?: number }): Promise<string> {
  const { start, seconds } = options;
  const random = seededRandom(options.seed ?? 12);
  const id = mintSeriesId();
  await store.createSeries({ id, ownerId, public: true, title: options.title ?? 'A year at 1 Hz', caption: 'kW', description: null, tags: ['bench'], extra: {} });
  let value = 50;
  const perWriter = 2_000_000;
  for (let from = 0; from < seconds; from += perWriter) {
    const writer = await store.openWriter(id, 'merge');
    const to = Math.min(seconds, from + perWriter);
    for (let i = from; i < to; i += 50_000) {
      const batch: Point[] = [];
      for (let k = i; k < Math.min(to, i + 50_000); k++) {
        value = Math.round((value + random() - 0.5) * 100) / 100;
        batch.push([start + k, value]);
      }
      await writer.stage(batch);
    }
    await writer.commit();
  }
  await store.compact?.(id);
  return id;
}
