import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SeriesRecord } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';
import type { ServerContext } from './ServerContext.js';

function whole(name: string, text: string | null, fallback: number, max: number): number {
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new HttpProblem(400, `invalid ${name} ${JSON.stringify(text)}: expected a whole number from 1 to ${max}`);
  }
  return Number(text);
}

/**
 * `GET /search/results.thin.json?q=&u=&tags=&n=&p=` and `GET /tags/T1;T2/results.thin.json`: the
 * series the caller may read (own or public), `[{id, title, caption, tags, url}]`, `n` a page
 * (default 20, at most 100), page `p` from 1.
 */
export function registerSearchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const search = (tagsFromPath: (req: FastifyRequest) => string[]) => async (request: FastifyRequest, reply: FastifyReply) => {
    const who = await ctx.authenticate(request);
    const q = new URL(request.url, 'http://x').searchParams;
    const n = whole('n', q.get('n'), 20, 100);
    const p = whole('p', q.get('p'), 1, 1_000_000);
    const tags = [...tagsFromPath(request), ...q.getAll('tags').flatMap((t) => t.split(/[,;]/))].map((t) => t.trim()).filter(Boolean);
    const found = await ctx.store.searchSeries({
      q: q.get('q') || undefined,
      user: q.get('u') || undefined,
      tags,
      viewerId: who?.userId ?? null,
      limit: n,
      offset: (p - 1) * n,
    });
    const base = ctx.baseUrl(request);
    const thin = (s: SeriesRecord) => ({ id: s.id, title: s.title, caption: s.caption, tags: s.tags, url: `${base}/series/${s.id}/` });
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(found.map(thin)));
  };
  app.get('/search/results.thin.json', search(() => []));
  app.get('/tags/:tags/results.thin.json', search((r) => decodeURIComponent((r.params as { tags: string }).tags).split(';')));
}
