import { AuthFailure } from './AuthFailure.js';

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AuthFailure(`malformed percent-encoding in the OAuth header: ${text.slice(0, 80)}`);
  }
}

/** What `\s` matches, tested by code (a per-character regex would cost more than the scan). */
function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || (code > 0xff && /\s/.test(String.fromCharCode(code)));
}

const EQUALS = 61;
const COMMA = 44;
const QUOTE = 34;
const OAUTH_SCHEME = /^\s*OAuth(?:\s+|$)/i;

/**
 * Reads the parameters of an `Authorization: OAuth realm="…", oauth_x="…", …` header (RFC 5849
 * §3.5.1): names and values percent-decoded, `realm` left out, unquoted values tolerated, spaces
 * around `=` and `,` tolerated.
 *
 * The header arrives before any credential is checked, so this is a single forward scan: every
 * character is looked at a bounded number of times, whatever the input (a backtracking regex took
 * 0.3 s on 16 KB of spaces). A refusal names what was expected and the character where it was not.
 *
 * @example
 * ```ts
 * parseOAuthHeader('OAuth realm="Photos", oauth_nonce="chapoH"'); // { oauth_nonce: 'chapoH' }
 * ```
 * @param header - The Authorization header value, if any.
 * @returns The parameters (an object without prototype, so any name is just a key), or undefined
 *   when the header is absent or not an OAuth one.
 * @throws {@link AuthFailure} for a header that says OAuth but cannot be parsed, or repeats a parameter.
 */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  const scheme = header === undefined ? null : OAUTH_SCHEME.exec(header);
  if (header === undefined || !scheme) return undefined;
  const params = Object.create(null) as Record<string, string>;
  const n = header.length;
  let i = scheme[0].length;
  const skipSpaces = (): void => {
    while (i < n && isSpace(header.charCodeAt(i))) i++;
  };
  // A name runs to a space, "=", "," or quote; an unquoted value may contain "=".
  const skipToken = (isName: boolean): void => {
    for (; i < n; i++) {
      const c = header.charCodeAt(i);
      if (isSpace(c) || c === COMMA || c === QUOTE || (isName && c === EQUALS)) return;
    }
  };
  const fail = (expected: string): never => {
    throw new AuthFailure(`malformed OAuth Authorization header: ${expected} at character ${i}, near: ${JSON.stringify(header.slice(i, i + 40))}`);
  };
  for (;;) {
    skipSpaces();
    if (i >= n) break;
    const nameStart = i;
    skipToken(true);
    if (i === nameStart) fail('expected a parameter name');
    const rawName = header.slice(nameStart, i);
    const shownName = rawName.length > 40 ? `${rawName.slice(0, 40)}…` : rawName;
    skipSpaces();
    if (header.charCodeAt(i) !== EQUALS) fail(`expected "=" after ${shownName}`);
    i++;
    skipSpaces();
    let rawValue: string;
    if (header.charCodeAt(i) === QUOTE) {
      // Quoted: OAuth values are percent-encoded, so there are no escapes; the value ends at the next quote.
      const close = header.indexOf('"', i + 1);
      if (close < 0) fail(`unterminated quoted value of ${shownName}`);
      rawValue = header.slice(i + 1, close);
      i = close + 1;
    } else {
      const valueStart = i;
      skipToken(false);
      rawValue = header.slice(valueStart, i);
    }
    skipSpaces();
    if (i < n) {
      if (header.charCodeAt(i) !== COMMA) fail(`expected "," or the end after the value of ${shownName}`);
      i++;
    }
    const name = decode(rawName);
    if (name === 'realm') continue;
    if (Object.hasOwn(params, name)) throw new AuthFailure(`OAuth header repeats ${name.slice(0, 80)}`);
    params[name] = decode(rawValue);
  }
  return params;
}
