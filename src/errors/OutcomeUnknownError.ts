import { TimetricError } from './TimetricError.js';

/**
 * An increment request may or may not have been applied: the connection failed after the request
 * was sent, or it timed out. Increments are not idempotent, so the sink does not send it again;
 * check the series' latest value and decide. `amount` is the increment whose outcome is unknown,
 * `unsent` the sum of increments received afterwards that were never sent.
 */
export class OutcomeUnknownError extends TimetricError {
  override name = 'OutcomeUnknownError';
  /** The summed increment whose outcome is unknown. */
  readonly amount: number;
  /** Sum of the later increments that were never sent. */
  readonly unsent: number;

  constructor(amount: number, unsent: number, cause: unknown) {
    super(
      `an increment of ${amount} may or may not have been applied (the request failed after it was sent: ${
        cause instanceof Error ? cause.message : String(cause)
      }); it was not re-sent. Read the latest value to find out${unsent ? `; ${unsent} more was never sent` : ''}.`,
      { cause },
    );
    this.amount = amount;
    this.unsent = unsent;
  }
}
