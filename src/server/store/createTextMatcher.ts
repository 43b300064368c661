/**
 * A case-insensitive substring test whose cost is linear, O(text + needle) per call, whatever the
 * two strings are: Knuth–Morris–Pratt over the UTF-16 code units of the lower-cased strings (Unicode
 * lower case, `toLowerCase`). The needle's table is built once, so one search query tests every
 * field of every series with the same matcher.
 *
 * Why not the database or `indexOf`: SQL `LIKE '%q%'` (SQLite and PostgreSQL), SQLite `instr()` and
 * PostgreSQL `strpos()` all cost O(text × needle) on inputs such as `'aaa…a'` searched for
 * `'aa…ab'` (measured here: an 8,000-character `q` on three 300,000-character fields, 11.3 s in
 * SQLite), and V8's `indexOf` does too once the needle is longer than 250 characters (3.9 s for an
 * 8,000-character needle in 1 MB).
 *
 * @example
 * ```ts
 * const matches = createTextMatcher('Zebra');
 * matches('zebra crossings'); // true
 * ```
 * @param needle - The text to look for; the empty needle is in every text.
 * @returns A test `(text) => boolean`.
 */
export function createTextMatcher(needle: string): (text: string) => boolean {
  const p = needle.toLowerCase();
  const m = p.length;
  const code = new Uint16Array(m);
  for (let i = 0; i < m; i++) code[i] = p.charCodeAt(i);
  // fail[i]: length of the longest proper prefix of p[0..i] that is also a suffix of it.
  const fail = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    const c = code[i]!;
    while (k > 0 && c !== code[k]) k = fail[k - 1]!;
    if (c === code[k]) k++;
    fail[i] = k;
  }
  const first = p.charAt(0);
  return (text: string): boolean => {
    if (m === 0) return true;
    if (text.length < m) return false;
    const t = text.toLowerCase();
    for (let i = 0, k = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (k === 0 && c !== code[0]) {
        // Nothing matched yet: jump to the next occurrence of the first character (a linear scan
        // in native code, and i only moves forward).
        const next = t.indexOf(first, i + 1);
        if (next < 0) return false;
        i = next;
        k = 1;
      } else {
        while (k > 0 && c !== code[k]) k = fail[k - 1]!;
        if (c === code[k]) k++;
      }
      if (k === m) return true;
    }
    return false;
  };
}
