/** An API token as the sign-in form takes it. */
export interface ApiToken {
  key: string;
  secret: string;
}

const KEY = 'timetric.dashboard.apitoken';

/**
 * The signed-in API token, kept in `sessionStorage` (this tab only, gone when it closes; never in
 * the URL, a cookie or `localStorage`). `undefined` when signed out or unreadable.
 */
export function readToken(storage: Storage = sessionStorage): ApiToken | undefined {
  try {
    const o = JSON.parse(storage.getItem(KEY) ?? 'null') as Partial<ApiToken> | null;
    return o && typeof o.key === 'string' && typeof o.secret === 'string' && o.key && o.secret ? { key: o.key, secret: o.secret } : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `token` for this tab, or forgets it (`undefined`). */
export function writeToken(token: ApiToken | undefined, storage: Storage = sessionStorage): void {
  if (token) storage.setItem(KEY, JSON.stringify(token));
  else storage.removeItem(KEY);
}
