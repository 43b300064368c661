import { TimetricError } from '../errors/TimetricError.js';

/** A command that ran but could not do its job (no such user, …): the CLI prints the message and exits with code 1. */
export class CommandFailure extends TimetricError {
  override name = 'CommandFailure';
}
