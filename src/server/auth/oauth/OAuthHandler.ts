import type { FastifyReply, FastifyRequest } from 'fastify';

/** One OAuth endpoint's Fastify handler. */
export type OAuthHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

/** The first of a repeated query or form field. */
export function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
