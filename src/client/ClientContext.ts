import type { SchedulerLike } from 'rxjs';
import type { RequestSpec } from './RequestSpec.js';

/**
 * What the client's helpers (reads, pushes, creation) need of a client: its request layer (URL,
 * signing, timeout, abort signals, the error family), its base URL, the scheduler every timer runs
 * on, and the request timeout. `TimetricClient` is one; a test or another transport can be too.
 * Helpers depend on this, never on `TimetricClient`, so the client's modules import one way.
 *
 * @example
 * ```ts
 * import type { ClientContext } from 'timetric';
 * const context: ClientContext = new TimetricClient(config, { baseUrl });
 * ```
 */
export interface ClientContext {
  /** Base URL without trailing slash, e.g. `'http://localhost:8080'`. */
  readonly baseUrl: string;
  /** The scheduler every timer runs on. */
  readonly scheduler: SchedulerLike;
  /** Time to wait for a response's headers, ms; 0 = none. Also the idle limit of a body being read. */
  readonly timeoutMs: number;
  /** Sends one request; rejects with the package's error for a failure status, a network error or a timeout. */
  request(spec: RequestSpec): Promise<Response>;
}
