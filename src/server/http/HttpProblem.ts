import { TimetricError } from '../../errors/TimetricError.js';

/** A request the server refuses, with the status and the short text/plain message to answer. */
export class HttpProblem extends TimetricError {
  override name = 'HttpProblem';

  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}
