import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Principal } from '../auth/Authenticator.js';
import { HttpProblem } from './HttpProblem.js';
import type { ServerContext } from './ServerContext.js';
import type { WriteAdmission } from './WriteAdmission.js';
import { authenticateWrite, type WriteCredentials } from './authenticateWrite.js';
import { isForm, isMultipart } from './isMultipart.js';
import { multipartBoundary } from './multipartBoundary.js';
import { CHALLENGE } from './seriesAccess.js';

const anonymous = (): HttpProblem =>
  new HttpProblem(401, 'authentication required to write: send an API token (HTTP Basic) or OAuth credentials; nothing was applied', CHALLENGE);

/**
 * Authentication and admission of series writes (`POST /create/`, `POST`/`PUT`/`DELETE /series/ID/`),
 * in the order that keeps requests without valid credentials cheap:
 *
 * 1. `onRequest`, before any of the body is read: a multipart Content-Type without a boundary → 400;
 *    credentials checked from the headers and URL ({@link authenticateWrite}); wrong or missing →
 *    401 with `Connection: close`, the body never read; valid → an admission slot (503 when none).
 * 2. `preHandler`, for urlencoded bodies (at most maxFormBytes, read by then): the OAuth check that
 *    needs the body's fields, then the slot.
 * 3. A multipart write whose OAuth signature covers its text fields (the historical client) calls
 *    {@link WriteGate.writer} with the fields read so far, before its `csv` part is read: the check,
 *    then the slot.
 *
 * So no unauthenticated request holds a slot, writes a row, or has more read than its text fields.
 *
 * @example
 * ```ts
 * const gate = new WriteGate(ctx, new WriteAdmission(64, 1));
 * app.post('/series/:id/', { onRequest: gate.onRequest, preHandler: gate.preHandler }, handler);
 * ```
 */
export class WriteGate {
  readonly #credentials = new WeakMap<FastifyRequest, WriteCredentials>();

  constructor(
    private readonly ctx: ServerContext,
    private readonly admission: WriteAdmission,
  ) {}

  /** Route hook: boundary check, credentials from the headers, and the slot when they checked out. */
  readonly onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (isMultipart(request) && multipartBoundary(request.headers['content-type'] ?? '') === undefined) {
      throw new HttpProblem(400, 'multipart/form-data without a boundary: send Content-Type: multipart/form-data; boundary=… (1 to 70 characters); nothing was read');
    }
    const credentials = await authenticateWrite(this.ctx, request);
    if (!credentials) throw anonymous();
    this.#credentials.set(request, credentials);
    // A form is small and is read before the handler runs: its slot waits for it (step 2).
    if (credentials.kind === 'principal' && !isForm(request)) this.admission.admit(reply);
  };

  /**
   * Route hook: the OAuth check of urlencoded bodies, and their slot. A callback, not an async
   * function: when the credentials checked out in `onRequest` (every API-token write) there is
   * nothing to wait for, and a Promise a request showed in the instruction counts.
   */
  readonly preHandler = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const credentials = this.#credentials.get(request);
    if (credentials?.kind === 'after-body') {
      this.#afterBody(request, reply).then(() => done(), done);
      return;
    }
    try {
      if (credentials?.kind === 'principal') this.admission.admit(reply);
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  };

  async #afterBody(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const principal = await this.ctx.authenticate(request);
    if (!principal) throw anonymous();
    this.#credentials.set(request, { kind: 'principal', principal });
    this.admission.admit(reply);
  }

  /** The writer when the credentials checked out before the body; undefined for a deferred multipart check. */
  principal(request: FastifyRequest): Principal | undefined {
    const credentials = this.#credentials.get(request);
    return credentials?.kind === 'principal' ? credentials.principal : undefined;
  }

  /**
   * The writer, checking a deferred multipart signature against `fields` (the text fields read so
   * far) and then taking the slot. Call it before reading any file part.
   *
   * @throws AuthFailure (401) when the signature does not check out; HttpProblem 503 when no slot is free.
   */
  async writer(request: FastifyRequest, reply: FastifyReply, fields: Record<string, string | string[]>): Promise<Principal> {
    const credentials = this.#credentials.get(request);
    if (!credentials || credentials.kind === 'after-body') throw anonymous();
    if (credentials.kind === 'principal') return credentials.principal;
    const principal = await credentials.verify(fields);
    this.#credentials.set(request, { kind: 'principal', principal });
    this.admission.admit(reply);
    return principal;
  }
}
