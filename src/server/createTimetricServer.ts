import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ParseError } from '../errors/ParseError.js';
import { AuthFailure } from './auth/AuthFailure.js';
import { createAuthenticator } from './auth/createAuthenticator.js';
import { registerOAuthRoutes } from './auth/registerOAuthRoutes.js';
import { toAuthRequest } from './auth/toAuthRequest.js';
import { HttpProblem } from './http/HttpProblem.js';
import type { ServerContext } from './http/ServerContext.js';
import { registerCreateRoute } from './http/createRoute.js';
import { registerCsvRoutes } from './http/csvRoutes.js';
import { defaultDashboardDir, registerDashboardRoutes } from './http/dashboardRoutes.js';
import { registerSearchRoutes } from './http/searchRoutes.js';
import { CHALLENGE } from './http/seriesAccess.js';
import { DEFAULT_SERVER_OPTIONS, type TimetricServerOptions } from './http/serverOptions.js';
import { registerValueRoutes } from './http/valueRoutes.js';
import { WriteAdmission } from './http/WriteAdmission.js';
import { WriteGate } from './http/WriteGate.js';
import { autoMaxConnections } from './http/autoMaxConnections.js';
import { capConnections } from './http/capConnections.js';
import { guardRequestBodies } from './http/guardRequestBodies.js';
import { registerWriteRoutes } from './http/writeRoutes.js';
import { registerInfluxRoutes } from './influx/registerInfluxRoutes.js';
import { StoreConflictError } from './store/StoreConflictError.js';

/** A running (or ready to run) Timetric server. */
export interface TimetricServer {
  /** The Fastify instance: `app.inject()` for in-process tests. */
  readonly app: FastifyInstance;
  /** Starts listening; resolves to the base URL, e.g. `http://127.0.0.1:8080`. Port 0 picks a free port. */
  listen(address?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting, ends event streams, finishes in-flight requests, then resolves. Idempotent. */
  close(): Promise<void>;
  /** The base URL once listening. */
  readonly url: string | undefined;
  /** Series writes holding an admission slot now (at most `maxConcurrentWrites`). */
  readonly writesInProgress: number;
}

const RAW_CSV_TYPES = ['text/csv', 'text/plain', 'application/csv', 'application/octet-stream'];

function shortReply(socket: Socket, status: number, text: string, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`);
}

/**
 * Creates a server that speaks the historical Timetric HTTP API and this project's extensions
 * (paging, ETags, Server-Sent Events, CORS, search) over the given store.
 *
 * @example
 * ```ts
 * import { createTimetricServer, openSqliteStore } from 'timetric/server';
 * const server = createTimetricServer({ store: await openSqliteStore('./timetric.db') });
 * console.log(`listening on ${await server.listen({ port: 8080 })}`);
 * process.on('SIGINT', () => void server.close());
 * ```
 * @param options - See {@link TimetricServerOptions}; defaults in {@link DEFAULT_SERVER_OPTIONS}.
 */
export function createTimetricServer(options: TimetricServerOptions): TimetricServer {
  const o = { ...DEFAULT_SERVER_OPTIONS, ...stripUndefined(options), publicUrl: options.publicUrl?.replace(/\/+$/, '') };
  const { store } = options;
  const authenticator = options.authenticator ?? createAuthenticator(store, { clock: o.clock });
  const app = Fastify({
    logger: o.logger ?? false,
    routerOptions: { maxParamLength: 500 },
    // Fastify's own refusals (a path with a broken %-escape, …) in the API's text/plain form.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply).code(error.statusCode ?? 400).type('text/plain; charset=utf-8').send(`${error.message}\n`);
    },
    // Slash-less writes are accepted as they are (the GETs are redirected, see the 404 handler).
    rewriteUrl: (req) => {
      const url = req.url ?? '/';
      if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return url;
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      return slashless(path) ? `${path}/${q < 0 ? '' : url.slice(q)}` : url;
    },
    bodyLimit: o.maxFormBytes,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    http: {
      maxHeaderSize: o.maxHeaderBytes,
      // Counted from the connection's opening: also how long one that never sends a request stays.
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: 0,
      connectionsCheckingInterval: Math.max(1, Math.min(1000, Math.round(o.headersTimeoutMs / 10))),
    },
    clientErrorHandler: (err, socket) => {
      if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        // Opened ahead of use and never used: nobody is waiting for an answer.
        if (socket.bytesRead === 0) return void socket.destroy();
        return shortReply(socket, 408, 'Request Timeout', `request headers not complete within ${o.headersTimeoutMs} ms\n`);
      }
      // Node hands the bytes it read as a Buffer (typed otherwise by Fastify).
      const raw = (err as unknown as { rawPacket?: Buffer }).rawPacket;
      if (err.code === 'HPE_HEADER_OVERFLOW') {
        const head = raw?.subarray(0, o.maxHeaderBytes).toString('latin1') ?? '';
        if (!head.includes('\r\n')) return shortReply(socket, 414, 'URI Too Long', 'request line too long\n');
        return shortReply(socket, 431, 'Request Header Fields Too Large', 'request headers too large\n');
      }
      return shortReply(socket, 400, 'Bad Request', `malformed HTTP request (${err.code ?? err.message})\n`);
    },
  });
  capConnections(app.server, o.maxConnections === 'auto' ? autoMaxConnections() : o.maxConnections);
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const ctx: ServerContext = {
    store,
    options: o,
    authenticator,
    // Not spread unless needed: a spread would build the request's URL, which only OAuth reads.
    authenticate: (request, extra) => authenticator.authenticate(extra ? { ...toAuthRequest(request, o.publicUrl), ...extra } : toAuthRequest(request, o.publicUrl)),
    baseUrl: (request) => o.publicUrl ?? `${request.protocol}://${request.host}`,
  };

  void app.register(cors, {
    origin: o.corsOrigins === '*' ? '*' : o.corsOrigins,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'Accept', 'Last-Event-ID', 'Cache-Control', 'Idempotency-Key'],
    exposedHeaders: ['Link', 'ETag', 'Location', 'WWW-Authenticate', 'Retry-After', 'X-Timetric-Downsampled', 'X-Timetric-Replaced', 'Idempotent-Replayed'],
    maxAge: 600,
  });
  void app.register(formbody, { bodyLimit: o.maxFormBytes });
  void app.register(multipart, {
    limits: { fieldSize: o.maxFormBytes, fileSize: o.maxCsvBytes, files: 2, fields: 1000 },
  });
  // CSV bodies stay streams: the routes decode and stage them as they arrive.
  app.addContentTypeParser(RAW_CSV_TYPES, (_request, payload, done) => done(null, payload));
  guardRequestBodies(app, o.bodyIdleTimeoutMs);

  app.setErrorHandler((err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const send = (status: number, message: string, headers: Record<string, string> = {}) =>
      reply.code(status).headers(headers).type('text/plain; charset=utf-8').send(`${message}\n`);
    if (err instanceof HttpProblem) return send(err.status, err.message, err.headers);
    if (err instanceof AuthFailure) return send(401, err.message, CHALLENGE);
    if (err instanceof ParseError) return send(400, err.message);
    if (err instanceof StoreConflictError) return send(409, err.message);
    const status = (err as FastifyError).statusCode;
    const code = (err as FastifyError).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_PARTS_LIMIT' || code === 'FST_FILES_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      return send(413, err.message);
    }
    if (status !== undefined && status >= 400 && status < 500) return send(status, err.message);
    // The routes refuse these before parsing (WriteGate); elsewhere the multipart parser finds them.
    if (/^Multipart: Boundary not found/.test(err.message)) return send(400, 'multipart/form-data without a boundary parameter');
    // A body cut off mid-way: the client is gone; nothing was applied (the write aborted).
    if (code === 'ECONNRESET' || /aborted|premature close/i.test(err.message)) return send(400, 'request body cut off; nothing was applied');
    request.log.error(err);
    return send(500, 'internal server error');
  });
  app.setNotFoundHandler((request, reply) => {
    const q = request.url.indexOf('?');
    const path = q < 0 ? request.url : request.url.slice(0, q);
    if ((request.method === 'GET' || request.method === 'HEAD') && slashless(path)) {
      return reply.redirect(`${path}/${q < 0 ? '' : request.url.slice(q)}`, 301);
    }
    return reply.code(404).type('text/plain; charset=utf-8').send(`no such endpoint: ${request.method} ${path}\n`);
  });

  app.get('/', (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send(`Timetric-compatible server. See /series/ID/csv/, /series/ID/value/json/, /create/, /oauth/${o.dashboard === false ? '' : ', and the dashboard at /dashboard/'}.\n`),
  );
  const admission = new WriteAdmission(o.maxConcurrentWrites, o.overloadRetryAfterSeconds);
  const gate = new WriteGate(ctx, admission);
  registerCreateRoute(app, ctx, gate);
  registerCsvRoutes(app, ctx);
  registerValueRoutes(app, ctx, streams);
  registerWriteRoutes(app, ctx, gate);
  registerSearchRoutes(app, ctx);
  registerInfluxRoutes(app, ctx, admission);
  if (o.dashboard !== false) registerDashboardRoutes(app, o.dashboard === true ? defaultDashboardDir() : o.dashboard);
  registerOAuthRoutes(app, { store, clock: o.clock, publicUrl: o.publicUrl, maxSignInFailures: o.maxSignInFailures, signInLockoutSeconds: o.signInLockoutSeconds });

  let url: string | undefined;
  let closing: Promise<void> | undefined;
  return {
    app,
    get url() {
      return url;
    },
    get writesInProgress() {
      return admission.active;
    },
    async listen(address = {}) {
      await app.listen({ port: address.port ?? 0, host: address.host ?? '127.0.0.1' });
      const a = app.server.address();
      if (a === null || typeof a === 'string') throw new Error('server is not listening on a TCP port');
      const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
      url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${a.port}`;
      return url;
    },
    close() {
      closing ??= (async () => {
        for (const res of streams) res.end();
        streams.clear();
        const closed = app.close();
        // Connections that never sent a byte (browsers and fetch pools open them ahead of use)
        // would hold the close until the headers timeout; requests in progress get a grace period.
        for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
        const grace = setTimeout(() => app.server.closeAllConnections(), o.closeGraceMs);
        grace.unref();
        try {
          await closed;
        } finally {
          clearTimeout(grace);
        }
      })();
      return closing;
    },
  };
}

/** An API path written without its trailing slash (files such as `unix.csv` excepted). */
function slashless(path: string): boolean {
  return !path.endsWith('/') && !/\.[a-z]+$/i.test(path) && /^\/(series|oauth|create|search|tags)(\/|$)/.test(path);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
