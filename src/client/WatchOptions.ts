import type { LiveOptions } from '../streams/liveLatest.js';

/**
 * Options of `Series.watch` and `Series.live`: `mode` (`'auto'` default, `'push'`, `'poll'`),
 * `intervalMs`, `maxBackoffMs`, `pushIdleMs`, … (`scheduler` and the pause gate default to the
 * client's).
 */
export interface WatchOptions extends LiveOptions {
  /** A push connection that sends nothing, not even the server's heartbeat, for this long is dropped and reopened, ms. Default 45,000 (three heartbeats of our server). */
  pushIdleMs?: number;
}

/** Defaults of {@link WatchOptions} beyond the polling ones (`DEFAULT_POLL_OPTIONS`). */
export const DEFAULT_WATCH_OPTIONS = { mode: 'auto', pushIdleMs: 45_000 } satisfies Required<Pick<WatchOptions, 'mode' | 'pushIdleMs'>>;
