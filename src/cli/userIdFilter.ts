import type { AuthStore } from '../server/store/Store.js';
import { CommandFailure } from './CommandFailure.js';

/** The id of the user a `--user NAME` filter names (undefined without one); fails with one line when there is no such user. */
export async function userIdFilter(store: AuthStore, name: string | undefined): Promise<number | undefined> {
  if (name === undefined) return undefined;
  const user = await store.getUserByName(name);
  if (!user) throw new CommandFailure(`no user named "${name}"`);
  return user.id;
}
