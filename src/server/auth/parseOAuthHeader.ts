import { AuthFailure } from './AuthFailure.js';

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AuthFailure(`malformed percent-encoding in the OAuth header: ${text.slice(0, 80)}`);
  }
}

/**
 * Reads the parameters of an `Authorization: OAuth realm="…", oauth_x="…", …` header (RFC 5849
 * §3.5.1): names and values percent-decoded, `realm` left out, unquoted values tolerated.
 *
 * @example
 * ```ts
 * parseOAuthHeader('OAuth realm="Photos", oauth_nonce="chapoH"'); // { oauth_nonce: 'chapoH' }
 * ```
 * @param header - The Authorization header value, if any.
 * @returns The parameters, or undefined when the header is absent or not an OAuth one.
 * @throws {@link AuthFailure} for a header that says OAuth but cannot be parsed, or repeats a parameter.
 */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  const start = header ? /^\s*OAuth(?:\s+|$)/i.exec(header) : null;
  if (!header || !start) return undefined;
  const body = header.slice(start[0].length);
  const params: Record<string, string> = {};
  const re = /\s*([^\s=,"]+)\s*=\s*(?:"([^"]*)"|([^\s,"]*))\s*(?:,|$)/y;
  while (re.lastIndex < body.length) {
    const at = re.lastIndex;
    const m = re.exec(body);
    if (!m) {
      if (body.slice(at).trim() === '') break;
      throw new AuthFailure(`malformed OAuth Authorization header near: ${body.slice(at, at + 40)}`);
    }
    const name = decode(m[1]!);
    if (name === 'realm') continue;
    if (Object.hasOwn(params, name)) throw new AuthFailure(`OAuth header repeats ${name}`);
    params[name] = decode(m[2] ?? m[3] ?? '');
  }
  return params;
}
