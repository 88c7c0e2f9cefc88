import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Access } from '../../auth/access.ts';
import { requirePrincipal } from '../../auth/authenticate.ts';
import { actorOf } from '../../auth/principal.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError, type ErrorDetail } from '../../core/errors.ts';
import type { Db } from '../../db/client.ts';
import { ZError } from '../../http/schemas.ts';
import { listPolicyVersions, policyInForce, publishPolicy } from './policies.ts';

const ZTime = Type.String({ format: 'date-time' });

/** A published version of a policy whose document has the given schema, as every policy route answers it. */
export const ZPolicyVersion = <T extends TSchema>(document: T) =>
  Type.Object({
    id: Type.String(),
    kind: Type.String(),
    version: Type.Integer(),
    effectiveFrom: ZTime,
    document,
    note: Type.String(),
    publishedBy: Type.Union([Type.String(), Type.Null()]),
    createdAt: ZTime,
  });

/**
 * `POST <path>`: publishes the next version of a policy kind, the same way for every module that owns
 * one: the document's schema at the edge, then its owner's own checks (each problem with its
 * path, nothing published), from now or a later instant.
 */
export const publishPolicyRoute = <D>(
  app: FastifyInstance,
  deps: { db: Db; clock: Clock },
  o: {
    path: string;
    kind: string;
    access: Access;
    tags: string[];
    summary: string;
    document: TSchema;
    /** Problems with paths as the client sent them (under /document). */
    problems: (document: D) => ErrorDetail[];
    errorCode: string;
  },
): void => {
  app.post(
    o.path,
    {
      config: { access: o.access },
      schema: {
        tags: o.tags,
        summary: o.summary,
        body: Type.Object(
          { document: o.document, effectiveFrom: Type.Optional(ZTime), note: Type.Optional(Type.String({ maxLength: 500 })) },
          { additionalProperties: false },
        ),
        response: { 201: ZPolicyVersion(o.document), 400: ZError },
      },
    },
    async (req, reply) => {
      const b = req.body as { document: D; effectiveFrom?: string; note?: string };
      const problems = o.problems(b.document);
      if (problems.length > 0) {
        throw new AppError('INVALID_INPUT', o.errorCode, problems.map((x) => `${x.path}: ${x.message}`).join('; '), problems);
      }
      const published = await publishPolicy(deps, {
        kind: o.kind,
        document: b.document,
        ...(b.effectiveFrom !== undefined ? { effectiveFrom: new Date(b.effectiveFrom) } : {}),
        ...(b.note !== undefined ? { note: b.note } : {}),
        actor: actorOf(requirePrincipal(req)),
      });
      return reply.status(201).send(published);
    },
  );
};

/**
 * The read side every policy kind offers: `GET <list.path>` every version (history, scheduled
 * ones included) and, when asked, `GET <inForce.path>` the version in force now (422 when none).
 */
export const policyReadRoutes = (
  app: FastifyInstance,
  deps: { db: Db; clock: Clock },
  o: {
    kind: string;
    access: Access;
    tags: string[];
    document: TSchema;
    list: { path: string; summary: string };
    inForce?: { path: string; summary: string };
  },
): void => {
  const ZVersion = ZPolicyVersion(o.document);
  app.get(
    o.list.path,
    {
      config: { access: o.access },
      schema: { tags: o.tags, summary: o.list.summary, response: { 200: Type.Object({ items: Type.Array(ZVersion) }) } },
    },
    async () => ({ items: await listPolicyVersions(deps.db, o.kind) }),
  );
  if (o.inForce !== undefined) {
    app.get(
      o.inForce.path,
      { config: { access: o.access }, schema: { tags: o.tags, summary: o.inForce.summary, response: { 200: ZVersion, 422: ZError } } },
      async () => policyInForce(deps.db, o.kind, deps.clock.now()),
    );
  }
};
