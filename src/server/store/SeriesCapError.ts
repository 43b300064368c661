import { TimetricError } from '../../errors/TimetricError.js';

/**
 * A write that would create more keyed series (InfluxDB mapping) than one user may hold. Nothing
 * of the write was applied.
 */
export class SeriesCapError extends TimetricError {
  override name = 'SeriesCapError';

  /**
   * @param cap - Keyed series one user may hold.
   * @param held - Keyed series the user holds now.
   * @param wanted - New series the write would have created.
   */
  constructor(
    readonly cap: number,
    readonly held: number,
    readonly wanted: number,
  ) {
    super(`the write would create ${wanted} new series, and the user holds ${held} of at most ${cap} series created by InfluxDB writes; nothing was applied (raise maxInfluxSeriesPerUser, or delete series)`);
  }
}
