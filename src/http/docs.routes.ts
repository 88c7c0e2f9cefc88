import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PUBLIC } from '../auth/access.ts';
import { AppError, CoreErrorCode } from '../core/errors.ts';

/**
 * The interactive API docs: Swagger UI from the `swagger-ui-dist` package, pointed at our
 * /openapi.json. Our own two routes instead of @fastify/swagger-ui, which spent ~250 ms of every
 * start registering static files, and whose routes could not declare an access policy.
 */
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PortCluster API</title>
<link rel="icon" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });
</script>
</body>
</html>
`;

export const docsRoutes = (app: FastifyInstance): void => {
  const dir = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

  app.get('/docs', { config: { access: PUBLIC }, schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').send(PAGE),
  );

  app.get(
    '/docs/:asset',
    { config: { access: PUBLIC }, schema: { hide: true, params: Type.Object({ asset: Type.String({ maxLength: 64 }) }) } },
    async (req, reply) => {
      const { asset } = req.params as { asset: string };
      const type = ASSETS[asset];
      if (type === undefined) {
        throw new AppError('NOT_FOUND', CoreErrorCode.ROUTE_NOT_FOUND, `No docs asset ${asset}`);
      }
      return reply
        .header('content-type', type)
        .header('cache-control', 'public, max-age=86400')
        .send(fs.createReadStream(path.join(dir, asset)));
    },
  );
};
