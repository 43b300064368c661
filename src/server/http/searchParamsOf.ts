/**
 * The query parameters of a request, from its raw URL (path and query, as Node gives it): the part
 * after the first `?`, up to a `#`. Read the same way by every route.
 *
 * @example
 * ```ts
 * searchParamsOf({ url: '/series/ID/csv/?start=0&end=10' }).get('end'); // '10'
 * ```
 */
export function searchParamsOf(request: { url: string }): URLSearchParams {
  const { url } = request;
  const start = url.indexOf('?');
  if (start < 0) return new URLSearchParams();
  const end = url.indexOf('#', start);
  return new URLSearchParams(url.slice(start + 1, end < 0 ? undefined : end));
}
