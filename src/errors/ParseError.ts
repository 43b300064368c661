import { TimetricError } from './TimetricError.js';

/**
 * Input that is not a valid timestamp, value or CSV line.
 *
 * For CSV, `line` is the 1-based line number and `text` the offending line (cut to 200 characters);
 * for a lone timestamp or value, `line` is undefined and `text` is the input as given.
 */
export class ParseError extends TimetricError {
  override name = 'ParseError';
  /** 1-based line number in the CSV input, when the input was CSV. */
  readonly line: number | undefined;
  /** The offending text (cut to 200 characters). */
  readonly text: string;

  constructor(message: string, details: { line?: number; text: string; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.line = details.line;
    this.text = details.text.length > 200 ? `${details.text.slice(0, 200)}…` : details.text;
  }
}
