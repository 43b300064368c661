import type { FastifyRequest } from 'fastify';
import { formFields } from '../auth/toAuthRequest.js';
import { searchParamsOf } from './searchParamsOf.js';

/** Form fields and query parameters as one lookup: the body wins, the query fills in (Python quirk). */
export interface Params {
  get(name: string): string | undefined;
  all(name: string): string[];
  names(): string[];
}

/**
 * One {@link Params} over several sources, the first source that has a name giving all its values.
 * Linear in the number of values: a repeated name appends to its list (copying the list at each
 * repeat made 80,000 repeats of one name cost ~55 s).
 *
 * @param sources - Field maps (arrays for repeats) or query strings, by precedence; undefined ones are skipped.
 */
export function paramsOf(...sources: (Record<string, string | string[]> | URLSearchParams | undefined)[]): Params {
  const map = new Map<string, string[]>();
  for (const source of sources) {
    if (!source) continue;
    const seen = new Map<string, string[]>();
    const add = (k: string, v: string): void => {
      const list = seen.get(k);
      if (list) list.push(v);
      else seen.set(k, [v]);
    };
    if (source instanceof URLSearchParams) {
      source.forEach((v, k) => add(k, v));
    } else {
      for (const [k, v] of Object.entries(source)) {
        if (Array.isArray(v)) for (const one of v) add(k, one);
        else add(k, v);
      }
    }
    for (const [k, v] of seen) if (!map.has(k)) map.set(k, v);
  }
  return {
    get: (name) => map.get(name)?.[0],
    all: (name) => map.get(name) ?? [],
    names: () => [...map.keys()],
  };
}

/** The urlencoded body fields of a request (if any) then its query string. */
export function requestParams(request: FastifyRequest): Params {
  const type = request.headers['content-type'] ?? '';
  const form = /^application\/x-www-form-urlencoded\b/i.test(type) ? formFields(request.body) : undefined;
  return paramsOf(form, searchParamsOf(request));
}
