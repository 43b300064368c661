// Node-only entry point: 'timetric/server'.
export type * from './store/Store.js';
export { StoreConflictError } from './store/StoreConflictError.js';
