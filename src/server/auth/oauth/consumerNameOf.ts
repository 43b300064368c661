import type { AuthStore, OAuthTokenRecord } from '../../store/Store.js';

/** The name of the application a token was issued to, as the authorize pages show it (its key when it has none). */
export async function consumerNameOf(store: AuthStore, token: OAuthTokenRecord): Promise<string> {
  return (await store.getConsumer(token.consumerKey))?.name ?? token.consumerKey;
}
