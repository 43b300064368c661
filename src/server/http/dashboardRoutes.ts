import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The security headers of every dashboard answer. The page's script and styles are files of its
 * own origin (no inline script, no eval, nothing from elsewhere), it talks only to this server, forms
 * go nowhere else, and no other site may frame it. (The sign-in form is shown by the script and
 * handled by it; were it ever submitted natively it would POST, so a token never lands in a URL.)
 */
export const DASHBOARD_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data: blob:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
} as const;

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
  'uplot.css': 'text/css; charset=utf-8',
};

/** The folder `npm run build` writes the page to: `dist/dashboard` of the package this module belongs to (from src/ or from dist/). */
export function defaultDashboardDir(): string {
  // CJS builds have __filename; ESM (and tsx) have import.meta.url.
  let dir = dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'timetric') return join(dir, 'dist', 'dashboard');
      } catch {
        // not ours: keep looking upwards
      }
    }
    const up = dirname(dir);
    if (up === dir) return join(process.cwd(), 'dist', 'dashboard');
    dir = up;
  }
}

interface Cached {
  mtimeMs: number;
  size: number;
  body: Buffer;
  etag: string;
}

/**
 * `GET /dashboard/` and its files (`app.js`, `dashboard.css`, `uplot.css`), served from `dir` as
 * built ahead of time by scripts/build-dashboard.mjs: no build at run time. Each file is read
 * when first asked for and again only when it changes on disk; answers carry an `ETag` (a
 * matching `If-None-Match` gets `304`) and {@link DASHBOARD_HEADERS}. `/dashboard` redirects to
 * `/dashboard/`. A folder without the built page answers `503` saying how to build it. The page
 * holds no secret: it signs in with a token the user types, kept in the tab's `sessionStorage`.
 */
export function registerDashboardRoutes(app: FastifyInstance, dir: string): void {
  const cache = new Map<string, Cached>();
  const read = (name: string): Cached | undefined => {
    const path = join(dir, name);
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return undefined;
    }
    const hit = cache.get(name);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit;
    const body = readFileSync(path);
    const fresh = { mtimeMs: stat.mtimeMs, size: stat.size, body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    cache.set(name, fresh);
    return fresh;
  };
  const send = (name: string) => (request: FastifyRequest, reply: FastifyReply) => {
    void reply.headers(DASHBOARD_HEADERS);
    const file = read(name);
    if (!file) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(`the dashboard is not built (no ${name} in ${dir}): run npm run build, or node scripts/build-dashboard.mjs\n`);
    }
    void reply.header('etag', file.etag);
    const given = request.headers['if-none-match'];
    if (given && given.split(',').some((t) => t.trim().replace(/^W\//, '') === file.etag)) return reply.code(304).send();
    return reply.type(FILES[name]!).send(file.body);
  };
  app.get('/dashboard', (request, reply) => {
    const q = request.url.indexOf('?');
    return reply.redirect(`/dashboard/${q < 0 ? '' : request.url.slice(q)}`, 301);
  });
  app.get('/dashboard/', send('index.html'));
  for (const name of Object.keys(FILES)) if (name !== 'index.html') app.get(`/dashboard/${name}`, send(name));
}
