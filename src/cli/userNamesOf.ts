import type { AuthStore } from '../server/store/Store.js';

/**
 * The user name to show for each owner id of `rows`, looked up in one query; an id of no user
 * shows as `#id`, no id (`null`) as the empty string.
 */
export async function userNamesOf(store: AuthStore, ids: readonly (number | null)[]): Promise<(id: number | null) => string> {
  const names = await store.getUserNames(ids.filter((id): id is number => id !== null));
  return (id) => (id === null ? '' : (names.get(id) ?? `#${id}`));
}
