import type { FastifyRequest } from 'fastify';
import type { Authenticator, AuthRequest, Principal } from '../auth/Authenticator.js';
import type { Store } from '../store/Store.js';
import type { DEFAULT_SERVER_OPTIONS } from './serverOptions.js';

/** What every route module needs: the store, the authenticator and the resolved options. */
export interface ServerContext {
  store: Store;
  options: typeof DEFAULT_SERVER_OPTIONS & { publicUrl: string | undefined };
  authenticate(request: FastifyRequest, extra?: Partial<AuthRequest>): Promise<Principal | null>;
  authenticator: Authenticator;
  /** `scheme://host[:port]` the client addressed (or publicUrl). */
  baseUrl(request: FastifyRequest): string;
}
