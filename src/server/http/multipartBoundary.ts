// `; boundary=token` or `; boundary="quoted"`: each alternative consumes what the next cannot, so
// the match is linear in the header (which maxHeaderBytes caps anyway).
const BOUNDARY = /;[ \t]*boundary[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]*))/i;

/**
 * The `boundary` parameter of a `multipart/form-data` Content-Type, or undefined when it is
 * missing, empty or longer than the 70 characters RFC 2046 §5.1.1 allows (the multipart parser
 * would fail on such a body after reading it).
 *
 * @example
 * ```ts
 * multipartBoundary('multipart/form-data; boundary="x-1"'); // 'x-1'
 * multipartBoundary('multipart/form-data'); // undefined
 * ```
 * @param contentType - The Content-Type header value.
 * @returns The boundary, unquoted.
 */
export function multipartBoundary(contentType: string): string | undefined {
  const match = BOUNDARY.exec(contentType);
  const boundary = match?.[1]?.replace(/\\(.)/g, '$1') ?? match?.[2];
  return boundary !== undefined && boundary.length >= 1 && boundary.length <= 70 ? boundary : undefined;
}
