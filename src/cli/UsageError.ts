import { TimetricError } from '../errors/TimetricError.js';

/** A command line that cannot be run as typed: the CLI prints the message and exits with code 2. */
export class UsageError extends TimetricError {
  override name = 'UsageError';
}
