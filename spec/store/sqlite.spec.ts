import { openSqliteStore } from '../../src/server/store/sqlite/openSqliteStore.js';
import { describeStoreConformance } from './storeConformance.js';

describeStoreConformance('sqlite', async () => {
  const store = await openSqliteStore(':memory:');
  return { store, cleanup: () => store.close() };
});
