import type { FastifyRequest } from 'fastify';
import type { AuthRequest } from './Authenticator.js';

/**
 * Reads an urlencoded body as the field map {@link AuthRequest.form} expects, whatever parser ran:
 * `@fastify/formbody` (an object, arrays for repeats), a raw string or a Buffer.
 *
 * @param body - `request.body` of a request whose Content-Type is urlencoded.
 * @returns The fields, or undefined for another kind of body.
 */
export function formFields(body: unknown): Record<string, string | string[]> | undefined {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    new URLSearchParams(body.toString()).forEach((value, name) => {
      const prior = fields[name];
      // Appended in place: copying the earlier values at each repeat was quadratic.
      if (prior === undefined) fields[name] = value;
      else if (Array.isArray(prior)) prior.push(value);
      else fields[name] = [prior, value];
    });
    return fields;
  }
  if (body !== null && typeof body === 'object') {
    const fields: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    for (const [name, value] of Object.entries(body)) {
      if (typeof value === 'string') fields[name] = value;
      else if (Array.isArray(value)) fields[name] = value.map(String);
      else if (value !== undefined && value !== null) fields[name] = String(value);
    }
    return fields;
  }
  return undefined;
}

/**
 * The parts of a Fastify request that authentication looks at: method, the absolute URL as the
 * client addressed it (`request.protocol` + Host header + the path and query as sent, before any
 * `rewriteUrl`), headers, and the fields of
 * an urlencoded body.
 *
 * @example
 * ```ts
 * const who = await authenticator.authenticate(toAuthRequest(request));
 * ```
 * @param request - A Fastify request (its body parsed, for urlencoded forms to count).
 * @param publicUrl - `scheme://host[:port]` clients use to reach the server, when a proxy in front
 *   of it changes scheme or host (OAuth signatures cover them). Default: taken from the request.
 * @returns An {@link AuthRequest}.
 */
export function toAuthRequest(request: FastifyRequest, publicUrl?: string): AuthRequest {
  const type = request.headers['content-type'] ?? '';
  const form = /^application\/x-www-form-urlencoded\b/i.test(type) ? formFields(request.body) : undefined;
  let url: string | undefined;
  return {
    method: request.method,
    // originalUrl: the path before any rewriteUrl (the server adds a trailing slash to slash-less
    // writes), since the client signed the URL it sent. Built on first use: only OAuth reads it,
    // and an API-token request (the common write) never does.
    get url() {
      return (url ??= `${publicUrl === undefined ? `${request.protocol}://${request.host}` : publicUrl.replace(/\/+$/, '')}${request.originalUrl}`);
    },
    headers: request.headers,
    form,
  };
}
