import type { Principal } from '../auth/Authenticator.js';
import type { NewSeries } from '../store/Store.js';
import { HttpProblem } from './HttpProblem.js';
import type { Params } from './formParams.js';
import { DEFAULT_SERVER_OPTIONS } from './serverOptions.js';

const KNOWN = new Set(['title', 'caption', 'description', 'tags', 'public']);

/** The caps {@link seriesMetadata} applies (see TimetricServerOptions for each). */
export type MetadataLimits = Pick<
  typeof DEFAULT_SERVER_OPTIONS,
  'maxTitleChars' | 'maxCaptionChars' | 'maxDescriptionChars' | 'maxTagsPerSeries' | 'maxTagChars' | 'maxExtraFieldChars' | 'maxExtraBytes'
>;

const excerpt = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

function tooLarge(what: string, size: number, max: number, unit: string): HttpProblem {
  return new HttpProblem(413, `${what} is ${size} ${unit}; this server allows at most ${max}`);
}

/**
 * Builds the series record of `/create/` from its fields; title and caption are required. A NUL
 * character in any field is refused (400): PostgreSQL cannot store it in text, and no store should
 * accept what another refuses. Metadata larger than `limits` is refused with 413 naming the field:
 * search reads the metadata of every series it scans, so its size bounds what a search costs.
 */
export function seriesMetadata(id: string, owner: Principal, params: Params, limits: MetadataLimits = DEFAULT_SERVER_OPTIONS): NewSeries {
  for (const name of params.names()) {
    if (name.includes('\0') || params.all(name).some((v) => v.includes('\0'))) {
      throw new HttpProblem(400, `field ${JSON.stringify(name)} contains a NUL character`);
    }
  }
  const title = params.get('title')?.trim();
  const caption = params.get('caption')?.trim();
  const missing = [!title && 'title', !caption && 'caption'].filter(Boolean);
  if (missing.length) throw new HttpProblem(400, `/create/ needs ${missing.join(' and ')}`);
  const description = params.get('description') ?? null;
  const sized: [string, string | null, number][] = [
    ['title', title!, limits.maxTitleChars],
    ['caption', caption!, limits.maxCaptionChars],
    ['description', description, limits.maxDescriptionChars],
  ];
  for (const [name, value, max] of sized) {
    if (value !== null && value.length > max) throw tooLarge(name, value.length, max, 'characters');
  }
  const publicText = (params.get('public') ?? 'false').toLowerCase();
  if (!['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''].includes(publicText)) {
    throw new HttpProblem(400, `invalid public ${JSON.stringify(publicText)}: expected true or false`);
  }
  const tags = [
    ...new Set(
      params
        .all('tags')
        .flatMap((t) => t.split(','))
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
  if (tags.length > limits.maxTagsPerSeries) throw tooLarge('the tag list', tags.length, limits.maxTagsPerSeries, 'tags');
  const long = tags.find((t) => t.length > limits.maxTagChars);
  if (long !== undefined) throw tooLarge(`tag ${excerpt(long)}`, long.length, limits.maxTagChars, 'characters');
  const extra: Record<string, string> = {};
  let extraBytes = 0;
  for (const name of params.names()) {
    if (KNOWN.has(name) || name.startsWith('oauth_')) continue;
    const value = params.get(name)!;
    if (value.length > limits.maxExtraFieldChars) throw tooLarge(`field ${excerpt(name)}`, value.length, limits.maxExtraFieldChars, 'characters');
    extraBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
    if (extraBytes > limits.maxExtraBytes) {
      throw new HttpProblem(413, `the extra fields (besides title, caption, description, tags, public) exceed ${limits.maxExtraBytes} bytes together at field ${excerpt(name)}`);
    }
    extra[name] = value;
  }
  return {
    id,
    ownerId: owner.userId,
    title: title!,
    caption: caption!,
    description,
    tags,
    public: ['true', '1', 'yes', 'on'].includes(publicText),
    extra,
  };
}
