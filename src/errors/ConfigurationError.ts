import { TimetricError } from './TimetricError.js';

/** A client configuration that cannot work: a missing key, an unknown `authtype`, a bad base URL. */
export class ConfigurationError extends TimetricError {
  override name = 'ConfigurationError';
  /** The configuration key at fault, when one is. */
  readonly key: string | undefined;

  constructor(message: string, key?: string) {
    super(message);
    this.key = key;
  }
}
