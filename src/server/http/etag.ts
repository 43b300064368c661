import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SeriesHead } from '../store/Store.js';

/**
 * Sets `ETag` (the series' version) and answers `true` when the request's `If-None-Match` already
 * names it: the caller then sends `304` with no body.
 */
export function notModified(request: FastifyRequest, reply: FastifyReply, series: Pick<SeriesHead, 'id' | 'version'>): boolean {
  const tag = `"${series.id}.${series.version}"`;
  void reply.header('etag', tag).header('cache-control', 'no-cache');
  const given = request.headers['if-none-match'];
  if (!given) return false;
  return given.split(',').some((t) => t.trim().replace(/^W\//, '') === tag || t.trim() === '*');
}
