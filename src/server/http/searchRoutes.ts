import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SeriesSummary } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';
import type { ServerContext } from './ServerContext.js';
import { searchParamsOf } from './searchParamsOf.js';

function whole(name: string, text: string | null, fallback: number, max: number): number {
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new HttpProblem(400, `invalid ${name} ${JSON.stringify(text.slice(0, 40))}: expected a whole number from 1 to ${max}`);
  }
  return Number(text);
}

/**
 * The tags of `/tags/T1;T2/results.thin.json`, split at the `;` of the raw path and then
 * percent-decoded once each, so an encoded `%3B` stays inside its tag. (Decoding the router's
 * already decoded parameter a second time turned a tag with a `%` in it, such as "50%" sent as
 * `50%25`, into a malformed escape and a 500.)
 */
function pathTags(request: FastifyRequest): string[] {
  const path = request.url.split('?', 1)[0]!;
  const raw = path.slice('/tags/'.length, path.length - '/results.thin.json'.length);
  return raw.split(';').map((piece) => {
    try {
      return decodeURIComponent(piece);
    } catch {
      throw new HttpProblem(400, `malformed percent-encoding in tag ${JSON.stringify(piece.slice(0, 60))} of the path`);
    }
  });
}

/**
 * `GET /search/results.thin.json?q=&u=&tags=&n=&p=` and `GET /tags/T1;T2/results.thin.json`: the
 * series the caller may read (own or public), `[{id, title, caption, tags, url}]`, `n` a page
 * (default 20, at most 100), page `p` from 1. A `q` longer than `maxSearchQueryChars`, or more
 * distinct tags than `maxTagsPerQuery`, is a 400: together with the metadata caps of `/create/`
 * they bound what one search costs (the matching itself is linear, see createTextMatcher).
 */
export function registerSearchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { maxSearchQueryChars, maxTagsPerQuery } = ctx.options;
  const search = (tagsFromPath: (req: FastifyRequest) => string[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    const who = await ctx.authenticate(request);
    const params = searchParamsOf(request);
    const n = whole('n', params.get('n'), 20, 100);
    const p = whole('p', params.get('p'), 1, 1_000_000);
    const q = params.get('q') || undefined;
    if (q !== undefined && q.length > maxSearchQueryChars) {
      throw new HttpProblem(400, `q is ${q.length} characters; this server searches for at most ${maxSearchQueryChars}`);
    }
    if (q?.includes('\0')) throw new HttpProblem(400, 'q contains a NUL character');
    const tags = [
      ...new Set(
        [...tagsFromPath(request), ...params.getAll('tags').flatMap((t) => t.split(/[,;]/))].map((t) => t.trim()).filter(Boolean),
      ),
    ];
    if (tags.length > maxTagsPerQuery) {
      throw new HttpProblem(400, `${tags.length} tags asked for; this server matches at most ${maxTagsPerQuery} tags per search`);
    }
    const found = await ctx.store.searchSeries({
      q,
      user: params.get('u') || undefined,
      tags,
      viewerId: who?.userId ?? null,
      limit: n,
      offset: (p - 1) * n,
    });
    const base = ctx.baseUrl(request);
    const thin = (s: SeriesSummary) => ({ id: s.id, title: s.title, caption: s.caption, tags: s.tags, url: `${base}/series/${s.id}/` });
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(found.map(thin)));
  };
  app.get('/search/results.thin.json', search(() => []));
  app.get('/tags/:tags/results.thin.json', search(pathTags));
}
