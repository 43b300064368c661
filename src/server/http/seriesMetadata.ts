import type { Principal } from '../auth/Authenticator.js';
import type { NewSeries } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';
import type { Params } from './formParams.js';

const KNOWN = new Set(['title', 'caption', 'description', 'tags', 'public']);

/**
 * Builds the series record of `/create/` from its fields; title and caption are required. A NUL
 * character in any field is refused (400): PostgreSQL cannot store it in text, and no store should
 * accept what another refuses.
 */
export function seriesMetadata(id: string, owner: Principal, params: Params): NewSeries {
  for (const name of params.names()) {
    if (name.includes('\0') || params.all(name).some((v) => v.includes('\0'))) {
      throw new HttpProblem(400, `field ${JSON.stringify(name)} contains a NUL character`);
    }
  }
  const title = params.get('title')?.trim();
  const caption = params.get('caption')?.trim();
  const missing = [!title && 'title', !caption && 'caption'].filter(Boolean);
  if (missing.length) throw new HttpProblem(400, `/create/ needs ${missing.join(' and ')}`);
  const publicText = (params.get('public') ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''].includes(publicText)) {
    throw new HttpProblem(400, `invalid public ${JSON.stringify(publicText)}: expected true or false`);
  }
  const tags = params
    .all('tags')
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  const extra: Record<string, string> = {};
  for (const name of params.names()) {
    if (!KNOWN.has(name) && !name.startsWith('oauth_')) extra[name] = params.get(name)!;
  }
  return {
    id,
    ownerId: owner.userId,
    title: title!,
    caption: caption!,
    description: params.get('description') ?? null,
    tags: [...new Set(tags)],
    public: ['true', '1', 'yes', 'on'].includes(publicText),
    extra,
  };
}
