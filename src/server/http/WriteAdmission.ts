import type { FastifyReply } from 'fastify';
import { HttpProblem } from './HttpProblem.js';

/**
 * Admission control for series writes: at most `max` writes in progress at once. The write gate
 * calls {@link WriteAdmission.admit} only once a write's credentials checked out, so requests
 * without valid credentials (and those still sending the text fields an OAuth signature may
 * cover) never hold a slot. A slot is held until the response is finished or the connection
 * closes, whichever comes first. Reads never take one.
 *
 * @example
 * ```ts
 * const admission = new WriteAdmission(64, 1);
 * admission.admit(reply); // throws HttpProblem 503 + Retry-After when 64 writes are in progress
 * ```
 */
export class WriteAdmission {
  #active = 0;
  readonly #admitted = new WeakSet<FastifyReply>();

  /**
   * @param max - Writes in progress at once (`Infinity`: no limit).
   * @param retryAfterSeconds - The `Retry-After` of the 503 answer.
   */
  constructor(
    readonly max: number,
    readonly retryAfterSeconds: number,
  ) {}

  /** Writes holding a slot now. */
  get active(): number {
    return this.#active;
  }

  /**
   * Takes a slot for this reply (a second call for the same reply does nothing).
   *
   * @throws {@link HttpProblem} 503 with `Retry-After` and `Connection: close` when every slot is
   *   taken: nothing was applied, so any client may retry, increments included.
   */
  admit(reply: FastifyReply): void {
    if (this.#admitted.has(reply)) return;
    const res = reply.raw;
    // A connection that closed while its credentials were checked has no response left to finish.
    if (res.destroyed || res.socket === null || res.socket.destroyed) throw new HttpProblem(400, 'the connection closed before the write began; nothing was applied');
    if (this.#active >= this.max) {
      const s = this.retryAfterSeconds;
      throw new HttpProblem(503, `${this.#active} writes in progress (the server's limit); nothing was applied, retry after ${s} s`, {
        'retry-after': String(s),
        connection: 'close',
      });
    }
    this.#admitted.add(reply);
    this.#active++;
    let counted = true;
    const release = (): void => {
      if (counted) this.#active--;
      counted = false;
    };
    res.once('finish', release);
    res.once('close', release);
  }
}
