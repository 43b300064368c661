import { CrossOriginLinkError } from '../errors/CrossOriginLinkError.js';
import { ParseError } from '../errors/ParseError.js';
import { parseNextLink } from './parseNextLink.js';

const shown = (u: URL): string => `${u.origin}${u.pathname}`;

/**
 * The absolute URL of the next page a paged read should request: the `rel="next"` target of the
 * response's `Link` header, resolved against the page's URL (RFC 8288 §3.2), or undefined on the
 * last page. Only a URL under the client's base URL is followed, because the request layer signs
 * every request it sends: same scheme, host and port, a path under the base path, no user name.
 *
 * @example
 * ```ts
 * nextPageUrl('</series/ID/csv/?start=60>; rel="next"', 'http://h/series/ID/csv/?limit=60', 'http://h'); // 'http://h/series/ID/csv/?start=60'
 * ```
 * @param link - The response's `Link` header, or null.
 * @param pageUrl - The URL of the page that carried it.
 * @param baseUrl - The client's base URL (no trailing slash).
 * @returns The next page's absolute URL, or undefined.
 * @throws {@link ParseError} for a malformed `Link` header or target; {@link CrossOriginLinkError}
 *   for a target outside `baseUrl`.
 */
export function nextPageUrl(link: string | null, pageUrl: string, baseUrl: string): string | undefined {
  const page = new URL(pageUrl);
  let target: string | undefined;
  try {
    target = parseNextLink(link);
  } catch (err) {
    if (!(err instanceof ParseError)) throw err;
    throw new ParseError(`GET ${shown(page)} answered a ${err.message}`, { text: err.text, cause: err });
  }
  if (target === undefined) return undefined;
  let next: URL;
  try {
    next = new URL(target, page);
  } catch (cause) {
    throw new ParseError(`GET ${shown(page)} named a next page that is not a URL: ${target.slice(0, 200)}`, { text: target, cause });
  }
  const root = new URL(`${baseUrl}/`);
  if (next.origin !== root.origin || !next.pathname.startsWith(root.pathname) || next.username !== '' || next.password !== '') {
    throw new CrossOriginLinkError(shown(page), shown(next), baseUrl);
  }
  return next.href;
}
