import { mintSeriesId } from '../ids.js';
import type { KeyedSeriesWrite } from '../store/Store.js';
import type { InfluxSeriesPoints } from './InfluxBatch.js';

/**
 * The mapping of one InfluxDB series (database or bucket, measurement, tag set, field) onto a
 * Timetric series, as a {@link KeyedSeriesWrite}: found by its canonical key, or created owned by
 * the writer, private, titled `measurement tag=value,tag=value` (cut to `maxTitleChars` with `…`),
 * captioned with the field key, tagged `tag=value` for each tag, and with the extra fields
 * `influx_database`, `influx_measurement` and `influx_field`.
 *
 * @param series - The series' points in the request.
 * @param ownerId - The writer.
 * @param maxTitleChars - Longest title.
 * @returns The write for the store.
 */
export function keyedWriteFor(series: InfluxSeriesPoints, ownerId: number, maxTitleChars: number): KeyedSeriesWrite {
  const tags = series.tags.map(([k, v]) => `${k}=${v}`);
  let title = tags.length === 0 ? series.measurement : `${series.measurement} ${tags.join(',')}`;
  if (title.length > maxTitleChars) title = `${title.slice(0, maxTitleChars - 1)}…`;
  return {
    key: series.key,
    database: series.database,
    measurement: series.measurement,
    points: series.points,
    create: {
      id: mintSeriesId(),
      ownerId,
      title,
      caption: series.field,
      description: null,
      tags,
      public: false,
      extra: { influx_database: series.database, influx_measurement: series.measurement, influx_field: series.field },
    },
  };
}
