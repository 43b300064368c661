import type { FastifyReply } from 'fastify';

/** The `Content-Type` of OAuth token answers and form posts. */
export const URLENCODED = 'application/x-www-form-urlencoded';

/** How the OAuth endpoints answer; see {@link oauthReplies}. */
export interface OAuthReplies {
  /** A one-line text error; a 401 carries `WWW-Authenticate: OAuth realm="…"`. */
  fail(reply: FastifyReply, status: number, message: string): FastifyReply;
  /** An HTML page (the authorize form or a message) with the page security headers. */
  html(reply: FastifyReply, status: number, body: string): FastifyReply;
  /** A token answer: urlencoded parameters, never cached. */
  formEncoded(reply: FastifyReply, params: Record<string, string>): FastifyReply;
}

/**
 * The reply helpers of the OAuth endpoints. Every answer is `Cache-Control: no-store` (they carry
 * tokens). Pages cannot be framed (clickjacking of the authorize button: `X-Frame-Options: DENY`,
 * CSP `frame-ancestors 'none'`), load nothing (`default-src 'none'`, inline styles only) and send no
 * referrer. No CSP `form-action`: browsers apply it to the redirect after the post, that is to the
 * application's callback.
 *
 * @param realm - Named in `WWW-Authenticate`; quotes and backslashes are dropped.
 * @returns The three reply helpers.
 */
export function oauthReplies(realm: string): OAuthReplies {
  const challenge = `OAuth realm="${realm.replace(/["\\]/g, '')}"`;
  return {
    fail(reply, status, message) {
      if (status === 401) reply.header('www-authenticate', challenge);
      return reply.code(status).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(`${message}\n`);
    },
    html(reply, status, body) {
      return reply
        .code(status)
        .header('cache-control', 'no-store')
        .header('x-frame-options', 'DENY')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
        .header('referrer-policy', 'no-referrer')
        .type('text/html; charset=utf-8')
        .send(body);
    },
    formEncoded(reply, params) {
      return reply.header('cache-control', 'no-store').type(URLENCODED).send(new URLSearchParams(params).toString());
    },
  };
}
