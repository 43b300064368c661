import type { FastifyRequest } from 'fastify';
import { formFields } from '../auth/toAuthRequest.js';

/** Form fields and query parameters as one lookup: the body wins, the query fills in (Python quirk). */
export interface Params {
  get(name: string): string | undefined;
  all(name: string): string[];
  names(): string[];
}

export function paramsOf(...sources: (Record<string, string | string[]> | URLSearchParams | undefined)[]): Params {
  const map = new Map<string, string[]>();
  for (const source of sources) {
    if (!source) continue;
    const entries: [string, string | string[]][] = source instanceof URLSearchParams ? [...source] : Object.entries(source);
    const seen = new Map<string, string[]>();
    for (const [k, v] of entries) seen.set(k, [...(seen.get(k) ?? []), ...(Array.isArray(v) ? v : [v])]);
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
  return paramsOf(form, new URL(request.url, 'http://x').searchParams);
}
