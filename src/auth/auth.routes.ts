import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { decodeCursor, DEFAULT_PAGE_SIZE, pageOf, ZPage, ZPageQuery } from '../core/pagination.ts';
import type { Db } from '../db/client.ts';
import { ZError } from '../http/schemas.ts';
import { ANY_ROLE, isAllowed, PUBLIC, rolesOnly } from './access.ts';
import { createApiKey, createOrganisation, createUser, revokeApiKey } from './auth.commands.ts';
import { AuthErrorCode } from './auth.errors.ts';
import { requirePrincipal, type RouteAccess } from './authenticate.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { actorOf } from './principal.ts';
import { ORG_KINDS, ROLES, type OrgKind, type Role } from './roles.ts';
import { visibleTo } from './scope.ts';
import type { TokenSigner } from './tokens.ts';

const ZRole = Type.Union(ROLES.map((r) => Type.Literal(r)));
const ZOrgKind = Type.Union(ORG_KINDS.map((k) => Type.Literal(k)));
const ZId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const ZDateTime = Type.String({ format: 'date-time' });

const ZOrganisation = Type.Object({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: ZOrgKind,
  districtCode: Type.Union([Type.String(), Type.Null()]),
});
const ZUser = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: ZRole,
  active: Type.Boolean(),
});
const ZApiKey = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  role: ZRole,
  prefix: Type.String(),
  createdAt: ZDateTime,
  lastUsedAt: Type.Union([ZDateTime, Type.Null()]),
  revokedAt: Type.Union([ZDateTime, Type.Null()]),
});

const presentOrg = (o: { id: string; code: string; name_zh: string; name_en: string; kind: string; district_code: string | null }) => ({
  id: o.id,
  code: o.code,
  nameZh: o.name_zh,
  nameEn: o.name_en,
  kind: o.kind as OrgKind,
  districtCode: o.district_code,
});

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export type AuthRouteDeps = {
  db: Db;
  clock: Clock;
  signer: TokenSigner;
  tokenTtlSeconds: number;
  /** Every route and its declared policy (filled as routes register). */
  routes: RouteAccess[];
};

export const authRoutes = (app: FastifyInstance, deps: AuthRouteDeps): void => {
  const tags = ['auth'];

  app.post(
    '/api/v1/auth/login',
    {
      config: { access: PUBLIC },
      schema: {
        tags,
        summary: 'Sign in with username and password; returns a short-lived bearer token',
        body: Type.Object(
          { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            token: Type.String(),
            tokenType: Type.Literal('Bearer'),
            expiresAt: ZDateTime,
            user: ZUser,
            organisation: ZOrganisation,
          }),
          400: ZError,
          401: ZError,
        },
      },
    },
    async (req) => {
      const { username, password } = req.body as { username: string; password: string };
      const user = await deps.db
        .selectFrom('users')
        .innerJoin('organisations', 'organisations.id', 'users.org_id')
        .select([
          'users.id',
          'users.org_id',
          'users.username',
          'users.display_name',
          'users.role',
          'users.active',
          'users.password_hash',
          'organisations.code',
          'organisations.name_zh',
          'organisations.name_en',
          'organisations.kind',
          'organisations.district_code',
        ])
        .where('users.username', '=', username)
        .executeTakeFirst();
      if (user === undefined) {
        await burnPasswordCheck(password);
      }
      if (user === undefined || !user.active || !(await verifyPassword(user.password_hash, password))) {
        throw new AppError('UNAUTHENTICATED', AuthErrorCode.INVALID_LOGIN, 'Username or password is wrong');
      }
      const { token, expiresAt } = await deps.signer.sign({ sub: user.id, role: user.role, org: user.org_id });
      return {
        token,
        tokenType: 'Bearer' as const,
        expiresAt: expiresAt.toISOString(),
        user: {
          id: user.id,
          orgId: user.org_id,
          username: user.username,
          displayName: user.display_name,
          role: user.role as Role,
          active: user.active,
        },
        organisation: presentOrg({ ...user, id: user.org_id }),
      };
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        summary: 'Who the caller is: user or API key, role and organisation',
        response: {
          200: Type.Object({
            kind: Type.Union([Type.Literal('user'), Type.Literal('api-key')]),
            id: Type.String(),
            username: Type.Union([Type.String(), Type.Null()]),
            role: ZRole,
            organisation: ZOrganisation,
            allowedRoutes: Type.Array(Type.String(), {
              description: 'Every API route ("GET /api/v1/ports/:id") this caller may use: what a client shows in its menus',
            }),
          }),
        },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const org = await deps.db.selectFrom('organisations').selectAll().where('id', '=', p.orgId).executeTakeFirstOrThrow();
      const allowedRoutes = deps.routes
        .filter((r) => r.url.startsWith('/api/') && r.access !== undefined && isAllowed(r.access, p.role))
        .map((r) => `${r.method} ${r.url}`)
        .sort();
      return { kind: p.kind, id: p.id, username: p.username, role: p.role, organisation: presentOrg(org), allowedRoutes };
    },
  );

  app.get(
    '/api/v1/organisations',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        summary: 'Organisations visible to the caller (own; customs: its district; admin: all)',
        querystring: Type.Object({ kind: Type.Optional(ZOrgKind), ...ZPageQuery }, { additionalProperties: false }),
        response: { 200: ZPage(ZOrganisation), 400: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const q = req.query as { kind?: string; limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      let qb = deps.db.selectFrom('organisations').selectAll().where(visibleTo('organisations', p));
      if (q.kind !== undefined) {
        qb = qb.where('kind', '=', q.kind);
      }
      if (q.cursor !== undefined) {
        qb = qb.where('code', '>', String(decodeCursor(q.cursor)));
      }
      const rows = await qb
        .orderBy('code')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit, (r) => r.code);
      return { items: page.items.map(presentOrg), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/organisations/:id',
    {
      config: { access: ANY_ROLE },
      schema: { tags, summary: 'One organisation, if visible to the caller', params: ZId, response: { 200: ZOrganisation, 404: ZError } },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const { id } = req.params as { id: string };
      const row = await deps.db
        .selectFrom('organisations')
        .selectAll()
        .where('id', '=', id)
        .where(visibleTo('organisations', p))
        .executeTakeFirst();
      if (row === undefined) {
        throw new AppError('NOT_FOUND', AuthErrorCode.UNKNOWN_ORGANISATION, `No organisation ${id} visible to you`);
      }
      return presentOrg(row);
    },
  );

  app.post(
    '/api/v1/organisations',
    {
      config: { access: rolesOnly('admin') },
      schema: {
        tags,
        summary: 'Create an organisation',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$' }),
            nameZh: Type.String({ minLength: 1, maxLength: 200 }),
            nameEn: Type.String({ minLength: 1, maxLength: 200 }),
            kind: ZOrgKind,
            districtCode: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9]{4}$' }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        response: { 201: ZOrganisation, 400: ZError, 409: ZError },
      },
    },
    async (req, reply) => {
      const b = req.body as { code: string; nameZh: string; nameEn: string; kind: OrgKind; districtCode?: string | null };
      const input = { code: b.code, nameZh: b.nameZh, nameEn: b.nameEn, kind: b.kind, districtCode: b.districtCode ?? null };
      const { id } = await createOrganisation(deps, input, actorOf(requirePrincipal(req)));
      return reply.status(201).send({ id, ...input });
    },
  );

  app.get(
    '/api/v1/users',
    {
      config: { access: rolesOnly('admin') },
      schema: {
        tags,
        summary: 'Users (administrators)',
        querystring: Type.Object({ orgId: Type.Optional(Type.String({ maxLength: 64 })), ...ZPageQuery }, { additionalProperties: false }),
        response: { 200: ZPage(ZUser), 400: ZError },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const q = req.query as { orgId?: string; limit?: number; cursor?: string };
      const limit = q.limit ?? DEFAULT_PAGE_SIZE;
      let qb = deps.db
        .selectFrom('users')
        .select(['id', 'org_id', 'username', 'display_name', 'role', 'active'])
        .where(visibleTo('users', p));
      if (q.orgId !== undefined) {
        qb = qb.where('org_id', '=', q.orgId);
      }
      if (q.cursor !== undefined) {
        qb = qb.where('username', '>', String(decodeCursor(q.cursor)));
      }
      const rows = await qb
        .orderBy('username')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit, (r) => r.username);
      return {
        items: page.items.map((u) => ({
          id: u.id,
          orgId: u.org_id,
          username: u.username,
          displayName: u.display_name,
          role: u.role as Role,
          active: u.active,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: rolesOnly('admin') },
      schema: {
        tags,
        summary: 'Create a user in an organisation; the role must fit its kind',
        body: Type.Object(
          {
            orgId: Type.String({ minLength: 1, maxLength: 64 }),
            username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' }),
            displayName: Type.String({ minLength: 1, maxLength: 200 }),
            role: ZRole,
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ZUser, 400: ZError, 409: ZError },
      },
    },
    async (req, reply) => {
      const b = req.body as { orgId: string; username: string; displayName: string; role: Role; password: string };
      const { id } = await createUser(deps, b, actorOf(requirePrincipal(req)));
      return reply.status(201).send({ id, orgId: b.orgId, username: b.username, displayName: b.displayName, role: b.role, active: true });
    },
  );

  app.get(
    '/api/v1/api-keys',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        summary: "The caller's organisation's API keys (never the keys themselves)",
        response: { 200: Type.Object({ items: Type.Array(ZApiKey) }) },
      },
    },
    async (req) => {
      const p = requirePrincipal(req);
      const rows = await deps.db
        .selectFrom('api_keys')
        .selectAll()
        .where(visibleTo('api_keys', p))
        .orderBy('created_at', 'desc')
        .limit(500)
        .execute();
      return {
        items: rows.map((k) => ({
          id: k.id,
          orgId: k.org_id,
          name: k.name,
          role: k.role as Role,
          prefix: k.prefix,
          createdAt: k.created_at.toISOString(),
          lastUsedAt: iso(k.last_used_at),
          revokedAt: iso(k.revoked_at),
        })),
      };
    },
  );

  app.post(
    '/api/v1/api-keys',
    {
      config: { access: ANY_ROLE },
      schema: {
        tags,
        summary: "Create an API key for the caller's organisation with the caller's role; the key is shown once",
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: {
          201: Type.Object({ id: Type.String(), name: Type.String(), prefix: Type.String(), key: Type.String(), createdAt: ZDateTime }),
          400: ZError,
        },
      },
    },
    async (req, reply) => {
      const { name } = req.body as { name: string };
      const k = await createApiKey(deps, requirePrincipal(req), name);
      return reply.status(201).send({ id: k.id, name, prefix: k.prefix, key: k.key, createdAt: k.createdAt.toISOString() });
    },
  );

  app.delete(
    '/api/v1/api-keys/:id',
    {
      config: { access: ANY_ROLE },
      schema: { tags, summary: "Revoke an API key of the caller's organisation", params: ZId, response: { 204: Type.Null(), 404: ZError } },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      await revokeApiKey(deps, requirePrincipal(req), id);
      return reply.status(204).send();
    },
  );
};
