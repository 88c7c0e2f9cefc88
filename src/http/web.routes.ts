import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { PUBLIC } from '../auth/access.ts';
import { PROJECT_ROOT } from '../core/paths.ts';
import { AppError, CoreErrorCode } from '../core/errors.ts';

export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const sendIndex = (reply: FastifyReply, dist: string): FastifyReply => {
  const index = path.join(dist, 'index.html');
  if (!fs.existsSync(index)) {
    return reply
      .status(503)
      .header('content-type', 'text/plain; charset=utf-8')
      .send('The web UI is not built yet. `npm start` builds it; or run `npm run build:web`.');
  }
  // Never cache the page itself: it names the hashed assets of the current build.
  return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(fs.createReadStream(index));
};

/**
 * The React app (web/), built by Vite into web/dist: `/` and its hashed assets, and the page
 * again for any other browser navigation (client-side routes such as /registry/ports survive a
 * reload). The API stays under /api/.
 */
export const webRoutes = (app: FastifyInstance, dist: string = WEB_DIST): void => {
  app.get('/', { config: { access: PUBLIC }, schema: { hide: true } }, async (_req, reply) => sendIndex(reply, dist));

  app.get(
    '/assets/:file',
    { config: { access: PUBLIC }, schema: { hide: true, params: Type.Object({ file: Type.String({ maxLength: 200 }) }) } },
    async (req, reply) => {
      const { file } = req.params as { file: string };
      const full = path.join(dist, 'assets', path.basename(file));
      if (path.basename(file) !== file || !fs.existsSync(full)) {
        throw new AppError('NOT_FOUND', CoreErrorCode.ROUTE_NOT_FOUND, `No asset ${file}`);
      }
      return reply
        .header('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(fs.createReadStream(full));
    },
  );
};

/** A GET that a browser navigates to (not an API or asset call) gets the app's page. */
export const isAppNavigation = (method: string, url: string, accept: string | undefined): boolean =>
  method === 'GET' &&
  !url.startsWith('/api/') &&
  !url.startsWith('/assets/') &&
  !url.startsWith('/docs') &&
  (accept ?? '').includes('text/html');

export const sendAppPage = sendIndex;
