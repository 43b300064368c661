/** Longest piece of an offending input quoted in an error message, characters. */
const EXCERPT_CHARS = 200;

/**
 * `text` as a JSON string for an error message, cut to its first 200 characters (then `…` and the
 * full length), so a megabyte of bad input gives a one-line message, not a megabyte of echo.
 */
export function quoteExcerpt(text: string): string {
  if (text.length <= EXCERPT_CHARS) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, EXCERPT_CHARS))}… (${text.length} characters)`;
}
