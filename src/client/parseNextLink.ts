import { ParseError } from '../errors/ParseError.js';

const SP = 32;
const HTAB = 9;
const COMMA = 44;
const SEMI = 59;
const EQUALS = 61;
const QUOTE = 34;
const BACKSLASH = 92;
const LT = 60;

/**
 * The target of the first `rel="next"` link in a `Link` header (RFC 8288 §3: `<URI>; param=value,
 * …`), as written (resolve it against the response's URL), or undefined when there is none.
 * Relation types are matched case-insensitively, also inside a space-separated list
 * (`rel="next last"`); only the first `rel` of a link counts.
 *
 * A single forward scan, so the cost is linear whatever the server sends (the regex it replaces
 * took 0.15–0.23 s on 16 KB of `<`). Scanning stops at the first next link; what comes after it
 * is not looked at.
 *
 * @example
 * ```ts
 * parseNextLink('</series/ID/csv/?start=60>; rel="next"'); // '/series/ID/csv/?start=60'
 * ```
 * @param header - The `Link` header value (several headers joined with ", "), or null when absent.
 * @returns The next page's URI reference, or undefined.
 * @throws {@link ParseError} naming the character where the header stops being a Link header.
 */
export function parseNextLink(header: string | null | undefined): string | undefined {
  if (header === null || header === undefined) return undefined;
  const n = header.length;
  let i = 0;
  const skipSpaces = (): void => {
    while (i < n && (header.charCodeAt(i) === SP || header.charCodeAt(i) === HTAB)) i++;
  };
  const fail = (expected: string): never => {
    throw new ParseError(`malformed Link header: ${expected} at character ${i}, near: ${JSON.stringify(header.slice(i, i + 40))}`, { text: header });
  };
  /** A token: up to a space, tab, ",", ";", "=" or quote. */
  const token = (): string => {
    const start = i;
    for (; i < n; i++) {
      const c = header.charCodeAt(i);
      if (c === SP || c === HTAB || c === COMMA || c === SEMI || c === EQUALS || c === QUOTE) break;
    }
    return header.slice(start, i);
  };
  /** A quoted-string starting at the quote under `i`, unescaped. */
  const quoted = (): string => {
    const open = i;
    let text = '';
    let from = ++i;
    for (; i < n; i++) {
      const c = header.charCodeAt(i);
      if (c === QUOTE) {
        text += header.slice(from, i);
        i++;
        return text;
      }
      if (c === BACKSLASH) {
        text += header.slice(from, i);
        from = ++i;
      }
    }
    i = open;
    return fail('unterminated quoted string');
  };

  for (;;) {
    // Empty list elements (", ,") are allowed.
    while (i < n && (header.charCodeAt(i) === SP || header.charCodeAt(i) === HTAB || header.charCodeAt(i) === COMMA)) i++;
    if (i >= n) return undefined;
    if (header.charCodeAt(i) !== LT) fail('expected "<" opening a link');
    const close = header.indexOf('>', i + 1);
    if (close < 0) fail('unterminated "<"');
    const target = header.slice(i + 1, close);
    i = close + 1;
    let rel: string | undefined;
    for (;;) {
      skipSpaces();
      if (header.charCodeAt(i) !== SEMI) break;
      i++;
      skipSpaces();
      const name = token();
      if (name === '') fail('expected a parameter name');
      skipSpaces();
      let value = '';
      if (header.charCodeAt(i) === EQUALS) {
        i++;
        skipSpaces();
        value = header.charCodeAt(i) === QUOTE ? quoted() : token();
      }
      if (rel === undefined && name.toLowerCase() === 'rel') rel = value;
    }
    if (i < n && header.charCodeAt(i) !== COMMA) fail('expected ";" or "," after a link');
    if (rel !== undefined && rel.split(/[ \t]/).some((r) => r.toLowerCase() === 'next')) return target;
  }
}
