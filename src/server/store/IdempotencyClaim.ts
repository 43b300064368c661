import type { Point } from '../../codec/Point.js';

/**
 * What a write sent with an `Idempotency-Key` claims: the key, a fingerprint of the request it
 * came with, and how long keys are remembered. Keys are per series.
 */
export interface IdempotencyClaim {
  /** The `Idempotency-Key` as the client sent it (1-255 printable ASCII characters). */
  key: string;
  /** SHA-256 of the request's meaning (e.g. `increment=2.5`), hex: the same key with another body is refused. */
  fingerprint: string;
  /** Unix seconds now. */
  now: number;
  /** A key is remembered this long, seconds; an older one counts as never seen (and is purged). */
  windowSeconds: number;
}

/** The outcome of a write under an {@link IdempotencyClaim}. */
export type IdempotentOutcome =
  /** First time: applied now, and the key recorded in the same transaction. */
  | { kind: 'applied'; point: Point; version: number }
  /** Seen within the window with the same fingerprint: not applied again; `status` is what the first answer was. */
  | { kind: 'repeated'; status: number }
  /** Seen within the window with another fingerprint: refused, nothing applied. */
  | { kind: 'mismatch' };

/** Keys are purged at most this often, seconds (each store purges on a write after this long). */
export const IDEMPOTENCY_PURGE_EVERY_SECONDS = 60;
