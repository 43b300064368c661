import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { WatchOptions } from './WatchOptions.js';

/** The `fetch` the client calls: the standard signature. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Options of `TimetricClient`; every field defaults from {@link DEFAULT_CLIENT_OPTIONS}. */
export interface ClientOptions {
  /** The server's base URL, e.g. `'https://timetric.example.org'`. Default `'http://localhost:8080'`. */
  baseUrl?: string;
  /** The fetch implementation. Default: the platform's `fetch` (browsers, Node ≥ 20); without one (and without this option) the constructor throws `ConfigurationError`. */
  fetch?: FetchLike;
  /** `User-Agent` header to send (ignored by browsers). Default `'timetric-js'`. */
  userAgent?: string;
  /** Time to wait for a response's headers before failing with `TimeoutError`, ms; 0 = none. Default 30,000. */
  timeoutMs?: number;
  /** Aborts every request of this client when it aborts. Default: none. */
  signal?: AbortSignal;
  /** The RxJS scheduler every timer of the client runs on (timeouts, polling, batching, backoff). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Settings of every series' shared `latest$` (`mode`, `intervalMs`, …; see `Series.watch`). Default: `mode 'auto'`, polling every 5 s when it polls. */
  latest?: WatchOptions;
  /**
   * How much of an unfinished Server-Sent Event a push connection (`latest$`, `watch`, `live`)
   * holds while it waits for the rest, in characters: a line not yet ended plus the data lines of
   * an event not yet complete. A stream that goes over it (a `data:` line that never ends) errors
   * at once with `ParseError`, in `'auto'` mode too, instead of growing memory without bound.
   * Our server's events are about 50 characters. Default 65,536.
   */
  maxPushEventChars?: number;
}

/** Defaults of {@link ClientOptions}. `fetch` is filled in by the client (the platform's `fetch`). */
export const DEFAULT_CLIENT_OPTIONS = {
  baseUrl: 'http://localhost:8080',
  userAgent: 'timetric-js',
  timeoutMs: 30_000,
  scheduler: asyncScheduler as SchedulerLike,
  maxPushEventChars: 65_536,
} satisfies Required<Omit<ClientOptions, 'fetch' | 'signal' | 'latest'>>;
