import type { AuthStore, SeriesStore, Store } from './Store.js';

/**
 * One {@link Store} from its two halves and its lifecycle. Methods are delegated (not copied from
 * the prototypes) so the halves keep their `this`.
 */
export function composeStore(series: SeriesStore, auth: AuthStore, lifecycle: Pick<Store, 'migrate' | 'close'>): Store {
  return {
    createSeries: (s) => series.createSeries(s),
    getSeries: (id) => series.getSeries(id),
    getSeriesHead: (id) => series.getSeriesHead(id),
    deleteSeries: (id) => series.deleteSeries(id),
    searchSeries: (q) => series.searchSeries(q),
    readPoints: (id, range, chunk) => series.readPoints(id, range, chunk),
    // Optional fast paths, offered only when the series half has them.
    ...(series.readPointColumns && { readPointColumns: (id, range, chunk) => series.readPointColumns!(id, range, chunk) }),
    ...(series.pageEnd && { pageEnd: (id, range, limit) => series.pageEnd!(id, range, limit) }),
    ...(series.downsample && { downsample: (id, spec) => series.downsample!(id, spec) }),
    latest: (id) => series.latest(id),
    latestWithVersion: (id) => series.latestWithVersion(id),
    appendValue: (id, t, v) => series.appendValue(id, t, v),
    increment: (id, t, d) => series.increment(id, t, d),
    ...(series.incrementOnce && { incrementOnce: (id, t, d, claim) => series.incrementOnce!(id, t, d, claim) }),
    openWriter: (id, mode, create) => series.openWriter(id, mode, create),
    onChange: (listener) => series.onChange(listener),
    ...(series.compact && { compact: (id) => series.compact!(id) }),
    ...(series.storageStats && { storageStats: (id) => series.storageStats!(id) }),
    ...(series.writeKeyed && { writeKeyed: (owner, writes, max) => series.writeKeyed!(owner, writes, max) }),
    ...(series.keyedNames && { keyedNames: (owner, database) => series.keyedNames!(owner, database) }),
    createUser: (n, h) => auth.createUser(n, h),
    getUserByName: (n) => auth.getUserByName(n),
    getUserById: (id) => auth.getUserById(id),
    getUserNames: (ids) => auth.getUserNames(ids),
    createApiToken: (t) => auth.createApiToken(t),
    getApiToken: (k) => auth.getApiToken(k),
    listApiTokens: (u) => auth.listApiTokens(u),
    revokeApiToken: (k) => auth.revokeApiToken(k),
    createConsumer: (c) => auth.createConsumer(c),
    getConsumer: (k) => auth.getConsumer(k),
    listConsumers: () => auth.listConsumers(),
    saveOAuthToken: (t) => auth.saveOAuthToken(t),
    getOAuthToken: (t) => auth.getOAuthToken(t),
    updateOAuthToken: (t, p) => auth.updateOAuthToken(t, p),
    deleteOAuthToken: (t) => auth.deleteOAuthToken(t),
    consumeRequestToken: (t) => auth.consumeRequestToken(t),
    listOAuthAccessTokens: (u) => auth.listOAuthAccessTokens(u),
    useNonce: (c, t, n, ts, w) => auth.useNonce(c, t, n, ts, w),
    migrate: () => lifecycle.migrate(),
    close: () => lifecycle.close(),
  };
}
