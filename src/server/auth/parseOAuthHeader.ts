/**
 * Reads the parameters of an `Authorization: OAuth k="v", …` header (RFC 5849 §3.5.1), values
 * percent-decoded, `realm` left out. Returns undefined when the header is not an OAuth one.
 */
export function parseOAuthHeader(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^OAuth\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  const body = header.slice(6);
  for (const m of body.matchAll(/([A-Za-z0-9_.~%-]+)\s*=\s*"([^"]*)"/g)) {
    const key = decodeURIComponent(m[1]!);
    if (key !== 'realm') params[key] = decodeURIComponent(m[2]!);
  }
  return params;
}
