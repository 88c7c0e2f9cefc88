import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PUBLIC } from './auth/access.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { registerAuthentication, type RouteAccess } from './auth/authenticate.ts';
import { TokenSigner, loadTokenSecret } from './auth/tokens.ts';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { AppError, CoreErrorCode } from './core/errors.ts';
import { newId } from './core/ids.ts';
import type { DatabaseHandle } from './db/client.ts';
import { isReachable } from './db/client.ts';
import { migrationStatus } from './db/migrator.ts';
import { eventRoutes } from './events/events.routes.ts';
import { docsRoutes } from './http/docs.routes.ts';
import { webRoutes } from './http/web.routes.ts';
import { registerErrorHandler } from './http/error-handler.ts';
import { registerIdempotency } from './http/idempotency.ts';
import { serializerCompiler, validatorCompiler } from './http/validation.ts';
import { alertRoutes } from './modules/alerts/index.ts';
import { cargoRoutes } from './modules/cargo/index.ts';
import { declarationRoutes } from './modules/declarations/index.ts';
import { instructionRoutes } from './modules/instructions/index.ts';
import { riskRoutes } from './modules/risk/index.ts';
import { berthPlanningRoutes } from './modules/berth-planning/index.ts';
import { dcsaJitRoutes } from './modules/dcsa-jit/index.ts';
import { portCallRoutes } from './modules/port-calls/index.ts';
import { quarantineRoutes } from './modules/quarantine/index.ts';
import { registryRoutes } from './modules/registry/index.ts';

export type AppDeps = {
  config: Config;
  database: DatabaseHandle;
  clock?: Clock;
  /** pino options, or false for silence (tests). */
  logger?: boolean | object;
};

export type App = FastifyInstance & { routeAccess: RouteAccess[] };

const REQUEST_ID_SHAPE = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The composition root: external plugins, then our hooks, then every module's routes, in a
 * fixed order. Tests build this same app.
 */
export const buildApp = async (deps: AppDeps): Promise<App> => {
  const { config, database } = deps;
  const db = database.db;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: config.logLevel,
            // Credentials never reach the log.
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
            ...(typeof deps.logger === 'object' ? deps.logger : {}),
          },
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_SHAPE.test(incoming) ? incoming : newId('request');
    },
    ajv: { customOptions: { removeAdditional: false } },
  }) as unknown as App;
  app.routeAccess = [];
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    return payload;
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PortCluster API',
        version: '1',
        description:
          'Customs–port collaboration for a port cluster. Errors use one envelope: {"error":{"code","message","details":[{"path","message"}]}}. ' +
          'POST and PUT honour an Idempotency-Key header.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
  });

  const signer = new TokenSigner(await loadTokenSecret(db, config.tokenSecret), config.tokenTtlSeconds, () => clock.now());
  registerAuthentication(app, { db, clock, signer, routes: app.routeAccess });

  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (req) => (req.principal !== null ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) =>
      Object.assign(
        new AppError('RATE_LIMITED', CoreErrorCode.RATE_LIMITED, `Too many requests; retry in ${Math.ceil(ctx.ttl / 1000)} s`),
        {
          statusCode: 429,
        },
      ),
  });
  registerIdempotency(app, { db, clock });

  app.get(
    '/healthz',
    {
      config: { access: PUBLIC },
      schema: { tags: ['ops'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/readyz',
    {
      config: { access: PUBLIC },
      schema: {
        tags: ['ops'],
        summary: 'The database is reachable and every migration is applied',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('not-ready'), reason: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      if (!(await isReachable(db))) {
        return reply.status(503).send({ status: 'not-ready' as const, reason: 'database unreachable' });
      }
      const status = await migrationStatus(db);
      if (status.pending.length > 0) {
        return reply.status(503).send({ status: 'not-ready' as const, reason: `${status.pending.length} migration(s) pending` });
      }
      return { status: 'ready' as const, database: database.kind };
    },
  );

  app.get('/openapi.json', { config: { access: PUBLIC }, schema: { hide: true } }, async () => app.swagger());

  docsRoutes(app);
  webRoutes(app);
  authRoutes(app, { db, clock, signer, tokenTtlSeconds: config.tokenTtlSeconds, routes: app.routeAccess });
  registryRoutes(app, { db, clock });
  portCallRoutes(app, { db, clock });
  dcsaJitRoutes(app, { db, clock });
  quarantineRoutes(app, { db, clock });
  berthPlanningRoutes(app, { db, clock });
  cargoRoutes(app, { db, clock });
  declarationRoutes(app, { db, clock });
  riskRoutes(app, { db, clock });
  instructionRoutes(app, { db, clock });
  alertRoutes(app, { db, clock });
  eventRoutes(app, { db, clock });

  await app.ready();
  return app;
};
