import type { FastifyRequest } from 'fastify';
import { AuthFailure } from '../auth/AuthFailure.js';
import type { Principal } from '../auth/Authenticator.js';
import type { ServerContext } from './ServerContext.js';
import { isForm, isMultipart } from './isMultipart.js';

/** What the credentials of a write say before its body is read. */
export type WriteCredentials =
  /** They checked out: the writer is known. */
  | { kind: 'principal'; principal: Principal }
  /**
   * An urlencoded body without Basic credentials: OAuth parameters may travel in it, and OAuth
   * signs its fields, so the check waits for the body (at most maxFormBytes).
   */
  | { kind: 'after-body' }
  /**
   * A multipart body with OAuth credentials whose signature did not check out without the text
   * fields (the historical client signs them): `verify` checks again with the fields read so far,
   * before any file part is read; a failure says that only fields before the csv part count.
   */
  | { kind: 'deferred'; verify(fields: Record<string, string | string[]>): Promise<Principal> };

/** The scheme of an Authorization header, lower case (`basic`, `oauth`, …); undefined when it has none. */
function schemeOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const text = authorization.trimStart();
  if (text === '') return undefined;
  const end = text.search(/\s/);
  return (end < 0 ? text : text.slice(0, end)).toLowerCase();
}

/**
 * Checks a write's credentials from its headers and URL alone, wherever the scheme allows it:
 * Basic (any body), OAuth in the header or the query (raw CSV, no body, multipart). Wrong
 * credentials throw {@link AuthFailure}; none at all → null (the caller answers 401), except for an
 * urlencoded body (`'after-body'`).
 *
 * @param ctx - The server context (its authenticator).
 * @param request - A write whose body has not been read.
 * @returns What is known before the body; null for an anonymous request.
 */
export async function authenticateWrite(ctx: ServerContext, request: FastifyRequest): Promise<WriteCredentials | null> {
  const scheme = schemeOf(request.headers.authorization);
  if (isForm(request) && scheme !== 'basic') return { kind: 'after-body' };
  try {
    const principal = await ctx.authenticate(request);
    return principal ? { kind: 'principal', principal } : null;
  } catch (err) {
    // Only an OAuth signature can cover multipart text fields; any other failure is final.
    if (!(err instanceof AuthFailure) || !isMultipart(request) || (scheme !== undefined && scheme !== 'oauth')) throw err;
    return {
      kind: 'deferred',
      async verify(fields) {
        let failure: AuthFailure = err;
        if (Object.keys(fields).length > 0) {
          try {
            const principal = await ctx.authenticate(request, { multipartFields: fields });
            if (principal) return principal;
          } catch (again) {
            if (!(again instanceof AuthFailure)) throw again;
            failure = again;
          }
        }
        // The fields after a file part are not known when it is opened, so they cannot count.
        throw new AuthFailure(`${failure.message} (a signature over multipart text fields counts only the fields sent before the csv part)`, { cause: failure });
      },
    };
  }
}
