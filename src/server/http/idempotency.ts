import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpProblem } from './HttpProblem.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` of a request (draft-ietf-httpapi-idempotency-key-header), or undefined
 * when it has none. The draft makes it a structured-field string (`"…"`); a bare token is taken
 * too. A key that is empty, longer than 255 characters or not printable ASCII is a 400.
 */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const text = (Array.isArray(header) ? header.join(',') : header).trim();
  const key = text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
  if (!KEY.test(key) || key.includes('"')) throw new HttpProblem(400, 'invalid Idempotency-Key: expected 1 to 255 printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324"');
  return key;
}

/** The fingerprint of what a keyed request asks for: SHA-256 of its canonical form, hex. */
export function requestFingerprint(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}
