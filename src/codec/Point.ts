/** A value of a series: a number, or one of the literals Timetric allowed. */
export type PointValue = number | boolean | null;

/** One point of a series: `[time, value]`, time in unix seconds (may have a fraction), UTC. */
export type Point = readonly [time: number, value: PointValue];

/**
 * A timestamp as callers may give it: a `Date`, unix seconds (a number, or its decimal text), or
 * ISO 8601 text (no zone means UTC). Numbers that can only be milliseconds are refused.
 */
export type TimeInput = Date | number | string;
