// Node-only entry point: 'timetric/server'.
export type * from './store/Store.js';
export { StoreConflictError } from './store/StoreConflictError.js';
export { AuthFailure } from './auth/AuthFailure.js';
export type { Authenticator, AuthRequest, Principal } from './auth/Authenticator.js';
export { createAuthenticator, DEFAULT_AUTHENTICATOR_OPTIONS, type AuthenticatorOptions } from './auth/createAuthenticator.js';
export { registerOAuthRoutes, type OAuthRoutesDeps } from './auth/registerOAuthRoutes.js';
export { toAuthRequest } from './auth/toAuthRequest.js';
export { hashPassword, verifyPassword } from './auth/passwords.js';
export { SqliteAuthStore } from './store/sqlite/SqliteAuthStore.js';
export { authMigrations } from './store/sqlite/authMigrations.js';
export {
  openPostgresStore,
  DEFAULT_POSTGRES_STORE_OPTIONS,
  type PostgresStoreOptions,
} from './store/postgres/openPostgresStore.js';
export { openStore } from './store/openStore.js';
export { createTimetricServer, type TimetricServer } from './createTimetricServer.js';
export { DEFAULT_SERVER_OPTIONS, type TimetricServerOptions } from './http/serverOptions.js';
export { openSqliteStore, type SqliteStoreOptions } from './store/sqlite/openSqliteStore.js';
export { hashSecret, mintKey, mintSecret } from './auth/secrets.js';
export { isSeriesId, mintSeriesId } from './ids.js';
