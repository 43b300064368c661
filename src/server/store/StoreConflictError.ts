import { TimetricError } from '../../errors/TimetricError.js';

/** A store operation that conflicts with stored state (duplicate user name, increment of a non-number). */
export class StoreConflictError extends TimetricError {
  override name = 'StoreConflictError';
}
