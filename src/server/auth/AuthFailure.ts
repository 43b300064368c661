import { TimetricError } from '../../errors/TimetricError.js';

/** Credentials were given but do not check out; the server answers 401 + `WWW-Authenticate`. */
export class AuthFailure extends TimetricError {
  override name = 'AuthFailure';
}
