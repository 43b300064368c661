import { openPostgresStore } from '../../src/server/store/postgres/openPostgresStore.js';
import { createPostgresTestStore } from '../helpers/createPostgresTestStore.js';
import { describeStoreConformance } from './storeConformance.js';

describeStoreConformance('postgres', async () => {
  const fx = await createPostgresTestStore();
  return { ...fx, openSibling: () => openPostgresStore(fx.connectionString) };
});
