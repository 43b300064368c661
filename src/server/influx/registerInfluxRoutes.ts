import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AuthFailure } from '../auth/AuthFailure.js';
import type { Principal } from '../auth/Authenticator.js';
import { HttpProblem } from '../http/HttpProblem.js';
import type { ServerContext } from '../http/ServerContext.js';
import type { WriteAdmission } from '../http/WriteAdmission.js';
import { CHALLENGE } from '../http/seriesAccess.js';
import { StoreConflictError } from '../store/StoreConflictError.js';
import { answerInfluxQuery } from './answerInfluxQuery.js';
import { decodedBody } from './decodedBody.js';
import { influxPrecision } from './influxTime.js';
import { influxPrincipal } from './influxPrincipal.js';
import { ingestLineProtocol } from './ingestLineProtocol.js';

/** The InfluxDB version this server answers `/ping` with: the 1.x API it follows. */
export const INFLUX_COMPATIBLE_VERSION = '1.8.10';

type Query = Record<string, string | string[] | undefined>;

const V2_CODES: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  404: 'not found',
  408: 'invalid',
  413: 'request too large',
  415: 'invalid',
  422: 'unprocessable entity',
  501: 'not implemented',
  503: 'unavailable',
};

function one(query: Query, name: string): string | undefined {
  const v = query[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function status(err: FastifyError | Error): { status: number; message: string; headers: Record<string, string> } {
  if (err instanceof HttpProblem) return { status: err.status, message: err.message, headers: err.headers };
  if (err instanceof AuthFailure) return { status: 401, message: err.message, headers: CHALLENGE };
  if (err instanceof StoreConflictError) return { status: 409, message: err.message, headers: {} };
  const code = (err as FastifyError).statusCode;
  if (code !== undefined && code >= 400 && code < 500) return { status: code, message: err.message, headers: {} };
  if ((err as { code?: string }).code === 'ECONNRESET' || /aborted|premature close/i.test(err.message)) {
    return { status: 400, message: 'request body cut off; nothing was applied', headers: {} };
  }
  return { status: 500, message: 'internal server error', headers: {} };
}

/**
 * The InfluxDB write APIs, so Telegraf, Node-RED, Home Assistant, node-influx and
 * `@influxdata/influxdb-client` write into Timetric series unmodified (see docs/influxdb.md):
 *
 * - `POST /write?db=&precision=n|u|ms|s|m|h` (1.x) and `POST /api/v2/write?org=&bucket=&precision=`
 *   (2.x): a line-protocol body, plain or `Content-Encoding: gzip`, applied all or nothing → 204;
 * - `GET|POST /query`: `CREATE DATABASE`, `SHOW DATABASES`, `SHOW MEASUREMENTS`;
 * - `GET|HEAD /ping`: 204 with `X-Influxdb-Version` (no credentials needed, as in InfluxDB).
 *
 * Credentials (an API token as `u`/`p`, Basic or `Token KEY:SECRET`) are checked from the headers
 * and URL before any of the body is read; a write then takes an admission slot. Errors are JSON in
 * each API's form: `{"error": …}` (1.x), `{"code": …, "message": …}` (2.x).
 *
 * @param app - The server's Fastify instance.
 * @param ctx - The server context.
 * @param admission - The server's write admission (shared with the Timetric writes).
 */
export function registerInfluxRoutes(app: FastifyInstance, ctx: ServerContext, admission: WriteAdmission): void {
  void app.register((influx: FastifyInstance, _opts: unknown, done: (err?: Error) => void) => {
    // Bodies stay streams whatever their type (clients send none, text/plain or octet-stream).
    influx.removeAllContentTypeParsers();
    influx.addContentTypeParser('*', (_request, payload, parsed) => parsed(null, payload));
    const principals = new WeakMap<FastifyRequest, Principal>();

    influx.setErrorHandler((err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
      const e = status(err);
      if (e.status === 500) request.log.error(err);
      const v2 = request.url.startsWith('/api/v2/');
      const body = v2 ? { code: V2_CODES[e.status] ?? (e.status >= 500 ? 'internal error' : 'invalid'), message: e.message } : { error: e.message };
      return reply.code(e.status).headers(e.headers).type('application/json').send(JSON.stringify(body));
    });
    influx.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('x-influxdb-version', INFLUX_COMPATIBLE_VERSION).header('x-influxdb-build', 'timetric');
      return payload;
    });

    const authenticated = async (request: FastifyRequest): Promise<Principal> => {
      const principal = await influxPrincipal(ctx, request);
      if (!principal) {
        throw new HttpProblem(401, 'authentication required: send an API token as Authorization: Token KEY:SECRET, as Basic, or as ?u=KEY&p=SECRET; nothing was applied', CHALLENGE);
      }
      principals.set(request, principal);
      return principal;
    };
    const writeHooks = {
      onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
        await authenticated(request);
        admission.admit(reply);
      },
    };
    const write = (databaseParam: 'db' | 'bucket') => async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as Query;
      const database = one(query, databaseParam);
      if (database === undefined || database === '') throw new HttpProblem(400, `the ${databaseParam} parameter is required; nothing was applied`);
      if (database.length > ctx.options.maxInfluxKeyChars || database.includes('\0')) {
        throw new HttpProblem(400, `the ${databaseParam} name is longer than ${ctx.options.maxInfluxKeyChars} characters or holds NUL; nothing was applied`);
      }
      const precisionText = one(query, 'precision');
      const precision = influxPrecision(precisionText);
      if (!precision) throw new HttpProblem(400, `invalid precision ${JSON.stringify(precisionText)}: use ns (n), us (u), ms, s, m or h; nothing was applied`);
      const length = Number(request.headers['content-length'] ?? 0);
      const limits = { maxBytes: ctx.options.maxInfluxBodyBytes, bodyIdleTimeoutMs: ctx.options.bodyIdleTimeoutMs };
      if (request.headers['content-encoding'] === undefined && length > limits.maxBytes) {
        throw new HttpProblem(413, `body of ${length} bytes is over the limit of ${limits.maxBytes} bytes; nothing was applied`);
      }
      const raw = (request.body ?? []) as AsyncIterable<Buffer>;
      const body = decodedBody(raw, request.headers['content-encoding'], limits);
      await ingestLineProtocol(ctx, principals.get(request)!, body, { database, precision });
      return reply.code(204).send();
    };
    influx.post('/write', writeHooks, write('db'));
    influx.post('/api/v2/write', writeHooks, write('bucket'));

    const query = async (request: FastifyRequest, reply: FastifyReply) => {
      const principal = principals.get(request)!;
      const params = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
      if (request.method === 'POST' && request.body) {
        // Joined before decoding: a character may be split between two chunks.
        const chunks: Buffer[] = [];
        for await (const chunk of decodedBody(request.body as AsyncIterable<Buffer>, request.headers['content-encoding'], {
          maxBytes: ctx.options.maxFormBytes,
          bodyIdleTimeoutMs: ctx.options.bodyIdleTimeoutMs,
        })) {
          chunks.push(chunk);
        }
        new URLSearchParams(Buffer.concat(chunks).toString('utf8')).forEach((value, name) => params.set(name, value));
      }
      const answer = await answerInfluxQuery(ctx.store, principal, params.get('q') ?? '', params.get('db') ?? undefined);
      if ('unsupported' in answer) throw new HttpProblem(400, answer.unsupported);
      return reply.code(200).type('application/json').send(JSON.stringify(answer));
    };
    const queryHooks = { onRequest: async (request: FastifyRequest) => void (await authenticated(request)) };
    influx.get('/query', queryHooks, query);
    influx.post('/query', queryHooks, query);

    const ping = async (request: FastifyRequest, reply: FastifyReply) => {
      const verbose = one(request.query as Query, 'verbose');
      if (verbose === 'true' || verbose === '1') return reply.code(200).type('application/json').send(JSON.stringify({ version: INFLUX_COMPATIBLE_VERSION }));
      return reply.code(204).send();
    };
    influx.get('/ping', ping);
    done();
  });
}
