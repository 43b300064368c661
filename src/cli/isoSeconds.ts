/** Unix seconds as ISO 8601 UTC without milliseconds, e.g. `2026-11-25T10:00:00Z`: how admin listings show times. */
export const isoSeconds = (unix: number): string => new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
